import type { ApiGitConnection, ApiOrganization, ApiServiceUser } from "./api";

/**
 * Every value the provider keeps for one run, and the one reset that forgets them. A run is one configured provider:
 * the dynamic-provider host calls `configure()` (settings.ts) at the start of every run, which calls `startRun`, so
 * no run acts on what an earlier one read, reported or saw. The rules about each value stay with the module that uses
 * it (named below); only the value lives here, so nothing per run can be left out of the reset. This module imports
 * nothing but types, so every module may use it without an import circle.
 *
 * Kept per process on purpose, not here: the role list (roles.ts: roles rarely change, and a test clears it), the
 * secret values no message may contain (errors.ts: a secret seen once stays masked), the connection lanes with their
 * rate-limit pauses (client.ts: they belong to the server, not to a run), and the filter of the host's error echo
 * (host.ts: it wraps the process's console).
 */
export const run = {
  /** runCache.ts: the organizations as the run's first create saw them, by base URL. */
  organizations: new Map<string, Promise<ApiOrganization[]>>(),
  /** runCache.ts: the enterprise's service users as the run's first organization delete saw them, by base URL. */
  serviceUsers: new Map<string, Promise<ApiServiceUser[]>>(),
  /** runCache.ts: the enterprise's git connections, by base URL. */
  gitConnections: new Map<string, Promise<ApiGitConnection[]>>(),
  /** runCache.ts: whether an id names a live object, by `<base URL> <kind> <id>` (an answer, never a failed read). */
  existence: new Map<string, Promise<boolean>>(),
  /** runCache.ts: the objects this run created (organizations, service users). */
  created: new Set<string>(),
  /** createOnce.ts: the ids the stack holds (diff, read, update or delete was called for them). */
  held: new Set<string>(),
  /** serviceUser.ts: the service-user deletions started, which an org delete waits for; settled means gone. */
  serviceUserDeletions: new Map<string, Promise<void>>(),
  /** settingsProbe.ts: the proof of the token and URL, by a hash of both. */
  probes: new Map<string, Promise<void>>(),
  /** settings.ts: the settings problems reported in full (a repeat gets one short line). */
  reported: new Set<string>(),
  /** settings.ts: whether the program ran (`check` or `diff` was called): the configuration is the stack's current one. */
  programRan: false,
};

/** Forgets the last run: called when a run is configured. */
export function startRun(): void {
  for (const value of Object.values(run)) if (value instanceof Map || value instanceof Set) value.clear();
  run.programRan = false;
}
