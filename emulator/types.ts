/**
 * The emulator's public types (what `pulumi-devin/emulator` exports), in a module that imports nothing: the shipped
 * declarations of the package's `./emulator` entry then never name Fastify or Ajv, which the package bundles and
 * does not depend on, so a user's program type-checks without `skipLibCheck`. The lists the schemas validate
 * against live here because the types are derived from them.
 */

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Directory whose state.json survives restarts; without it the state lives in memory only. */
  stateDir?: string;
  /** The seeded enterprise admin's token (`cog_...`); generated when omitted. */
  token?: string;
  /** Mount the test control plane under /_emulator/. Off by default: it is not part of the Devin API. */
  controlPlane?: boolean;
  /** `max_session_acu_limit` given to orgs created without one. */
  defaultMaxSessionAcuLimit?: number;
}

/** A running emulator. */
export interface RunningEmulator {
  /** Base URL without a version prefix, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** The seeded enterprise admin's token. */
  token: string;
  /** The seeded enterprise admin's service user id. */
  adminServiceUserId: string;
  /** Stops listening after in-flight writes are durable. */
  close(): Promise<void>;
}

/** One entry of the request log that tests use to count API calls. Status 0 means the connection was cut. */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  /** Unix milliseconds when the request arrived. */
  time: number;
  durationMs: number;
  /** The client's User-Agent header, if any. */
  userAgent: string | null;
}

export const FAULT_KINDS = ["latency", "rate-limit", "server-error", "drop", "commit-then-drop", "commit-then-delay"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * A fault applied to matching API requests. `path` is a glob over the path without its query: `*` matches within
 * one segment, `**` across segments. A rule fires with `probability` (default 1) and at most `times` times.
 */
export interface FaultRule {
  kind: FaultKind;
  method?: string;
  path: string;
  probability?: number;
  times?: number;
  /** Matching requests to let through before the rule starts firing. */
  skip?: number;
  /** latency: delay before processing; commit-then-delay: delay between commit and answer. */
  latencyMs?: number;
  /** rate-limit: the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  /** server-error: 500 or 503. */
  status?: 500 | 503;
}

/** Enterprise features the account team switches on; the control plane stands in for them. */
export interface Features {
  orgGroupLimits: boolean;
  sessionTags: boolean;
}

export const GIT_PROVIDER_TYPES = [
  "github_token",
  "github_individual_token",
  "github_app",
  "gitlab_token",
  "gitlab_oauth",
  "azure_devops_oauth",
  "bitbucket_oauth",
  "bitbucket_token",
] as const;
export type GitProviderType = (typeof GIT_PROVIDER_TYPES)[number];

/** A direct member: its own enterprise role (default Member) and org roles. */
export interface SeedUser {
  email: string;
  name?: string | null;
  enterpriseRoleId?: string;
  orgRoles?: { orgId: string; roleId: string }[];
}

/** A member through IdP groups: its roles come from the groups' mappings, whenever those are made. */
export interface SeedIdpUser {
  email: string;
  name?: string | null;
  groups: string[];
}

/** A repository a git connection can see; the name defaults to the last segment of the path. */
export interface SeedGitRepository {
  repoPath: string;
  repoName?: string;
  /** The git host's own id; a random 9-digit number when omitted. */
  providerRepositoryId?: string;
  repoDescription?: string | null;
  repoLanguage?: string | null;
  lastUpdatedAt?: number | null;
}

/** A git connection (the API has no endpoint to create one). */
export interface SeedGitConnection {
  gitProviderType: GitProviderType;
  name?: string | null;
  host: string;
  repositories?: SeedGitRepository[];
}

/** A knowledge folder (the API has no endpoint to create one): in an org, or at the enterprise level without `orgId`. */
export interface SeedKnowledgeFolder {
  orgId?: string | null;
  name: string;
  /** An existing folder of the same org (or of the enterprise level). */
  parentId?: string | null;
}
