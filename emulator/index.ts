import { startEmulator as start } from "./server";
import type { EmulatorOptions, RunningEmulator } from "./types";

export { SEEDED_ADMIN_NAME, SEEDED_USER_EMAIL, DEFAULT_MAX_SESSION_ACU_LIMIT, DEFAULT_GIT_CONNECTION } from "./defaults";
export type {
  EmulatorOptions,
  RunningEmulator,
  FaultRule,
  FaultKind,
  LoggedRequest,
  Features,
  SeedUser,
  SeedIdpUser,
  SeedGitConnection,
  SeedGitRepository,
  SeedKnowledgeFolder,
} from "./types";

// A function of its own, typed from types.ts only, so that index.d.ts does not reference server.d.ts (which names
// Fastify's types, and the package bundles Fastify rather than depending on it).
/**
 * Starts a local Devin v3 API on 127.0.0.1.
 *
 * @example
 * const emu = await startEmulator({ port: 0, controlPlane: true });
 * // ... point DEVIN_API_URL at emu.url and DEVIN_TOKEN at emu.token ...
 * await emu.close();
 */
export function startEmulator(options?: EmulatorOptions): Promise<RunningEmulator> {
  return start(options);
}
