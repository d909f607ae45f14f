export { startEmulator, SEEDED_ADMIN_NAME, SEEDED_USER_EMAIL, DEFAULT_MAX_SESSION_ACU_LIMIT, DEFAULT_GIT_CONNECTION } from "./server";
export type { EmulatorOptions, RunningEmulator } from "./server";
export type { FaultRule, FaultKind, LoggedRequest } from "./control";
export type { Features } from "./store";
export type { SeedUser, SeedIdpUser, SeedGitConnection, SeedGitRepository, SeedKnowledgeFolder } from "./seed";
