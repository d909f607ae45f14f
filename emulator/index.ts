export { startEmulator, SEEDED_ADMIN_NAME, DEFAULT_MAX_SESSION_ACU_LIMIT } from "./server";
export type { EmulatorOptions, RunningEmulator } from "./server";
export type { FaultRule, FaultKind, LoggedRequest } from "./control";
