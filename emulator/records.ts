/**
 * Records of the content families (git connections and permissions, playbooks, knowledge, schedules, secrets), kept
 * beside store.ts so that file stays about state and durability. Nothing here imports the store: the store builds its
 * `State` from {@link ContentState}, and these helpers take the collections they read.
 */
import { ApiError } from "./problem";
import type { GitProviderType } from "./types";

export interface GitRepositoryRecord {
  provider_repository_id: string;
  repo_name: string;
  repo_path: string;
  repo_description: string | null;
  last_updated_at: number | null;
  repo_language: string | null;
  seq: number;
}

/** A connection to a git host; the API cannot create one, so they come from seeding. */
export interface GitConnectionRecord {
  git_connection_id: string;
  git_provider_type: GitProviderType;
  name: string | null;
  host: string;
  created_at: number;
  repositories: GitRepositoryRecord[];
  seq: number;
}

/** Exactly one of the three path fields is set. */
export interface GitPermissionRecord {
  git_permission_id: string;
  org_id: string;
  git_connection_id: string;
  repo_path: string | null;
  /** Stored with a trailing `/`, as the real API keeps it; presented without one. */
  group_prefix: string | null;
  prefix_path: string | null;
  read_only: boolean;
  created_at: number;
  seq: number;
}

/** What playbooks and knowledge notes share: they live at the enterprise (`org_id` null) or in one org. */
export interface ScopedRecord {
  access_type: "enterprise" | "org";
  org_id: string | null;
  seq: number;
}

export interface PlaybookRecord extends ScopedRecord {
  playbook_id: string;
  title: string;
  body: string;
  macro: string | null;
  structured_output_schema: Record<string, unknown> | null;
  created_by: string;
  updated_by: string;
  created_at: number;
  updated_at: number;
}

/** A knowledge folder; the API cannot create one, so they come from seeding. */
export interface KnowledgeFolderRecord {
  folder_id: string;
  /** null for an enterprise-level folder. */
  org_id: string | null;
  name: string;
  parent_folder_id: string | null;
  seq: number;
}

export interface KnowledgeNoteRecord extends ScopedRecord {
  note_id: string;
  name: string;
  body: string;
  trigger: string;
  folder_id: string | null;
  is_enabled: boolean;
  pinned_repo: string | null;
  created_at: number;
  updated_at: number;
}

export const SCHEDULE_TYPES = ["recurring", "one_time"] as const;
export const SCHEDULE_AGENTS = ["devin", "data_analyst"] as const;
export const SCHEDULE_NOTIFY_ON = ["always", "failure", "never"] as const;

export interface ScheduleRecord {
  scheduled_session_id: string;
  org_id: string;
  created_by: string | null;
  name: string;
  prompt: string;
  schedule_type: (typeof SCHEDULE_TYPES)[number];
  frequency: string | null;
  /** Unix milliseconds: an ISO time may carry fractions of a second, and the answer must keep the instant. */
  scheduled_at: number | null;
  interval_count: number;
  agent: (typeof SCHEDULE_AGENTS)[number];
  notify_on: (typeof SCHEDULE_NOTIFY_ON)[number];
  bypass_approval: boolean;
  enabled: boolean;
  playbook_id: string | null;
  tags: string[] | null;
  platform: string | null;
  slack_channel_id: string | null;
  slack_team_id: string | null;
  target_devin_id: string | null;
  /** The user sessions run as (`create_as_user_id` / `run_as_user_id`); never shown by the API. */
  run_as_user_id: string | null;
  last_edited_by: string | null;
  created_at: number;
  updated_at: number;
  /** Soft delete: a deleted schedule is kept but answers 404 and is left out of the list. */
  deleted_at: number | null;
  seq: number;
}

export const SECRET_TYPES = ["cookie", "key-value", "totp"] as const;

/** A secret as the API shows it, plus a salted hash of its value; the value itself is never kept. */
export interface SecretRecord {
  secret_id: string;
  org_id: string;
  key: string;
  note: string | null;
  is_sensitive: boolean;
  secret_type: (typeof SECRET_TYPES)[number];
  access_type: "org";
  created_by: string;
  created_at: number;
  /** `<salt hex>:<HMAC-SHA256 hex>`, so the control plane can tell whether a client sent the expected value. */
  value_hash: string;
  seq: number;
}

/** The collections of the content families, part of the durable state. */
export interface ContentState {
  gitConnections: Record<string, GitConnectionRecord>;
  gitPermissions: Record<string, GitPermissionRecord>;
  playbooks: Record<string, PlaybookRecord>;
  knowledgeFolders: Record<string, KnowledgeFolderRecord>;
  knowledgeNotes: Record<string, KnowledgeNoteRecord>;
  schedules: Record<string, ScheduleRecord>;
  secrets: Record<string, SecretRecord>;
}

/** The collections whose records carry an `org_id` (git connections belong to the enterprise). */
const ORG_CONTENT = ["gitPermissions", "playbooks", "knowledgeFolders", "knowledgeNotes", "schedules", "secrets"] as const;

export function emptyContent(): ContentState {
  return { gitConnections: {}, gitPermissions: {}, playbooks: {}, knowledgeFolders: {}, knowledgeNotes: {}, schedules: {}, secrets: {} };
}

/** Everything an org holds goes with it, so its children answer 404 from then on, enterprise lists included. */
export function dropOrgContent(content: ContentState, orgId: string): void {
  for (const key of ORG_CONTENT) {
    const collection: Record<string, { org_id: string | null }> = content[key];
    for (const [id, record] of Object.entries(collection)) if (record.org_id === orgId) delete collection[id];
  }
}

/** A record by key, never an inherited property: names from paths and bodies may be `constructor` or `__proto__`. */
export function own<T>(records: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(records, key) ? records[key] : undefined;
}

/** A record of one org (or, with `orgId` null, of the enterprise level) by id; 404 for any other. */
export function recordIn<T extends { org_id: string | null }>(
  records: Record<string, T>,
  id: string,
  orgId: string | null,
  noun: string,
): T {
  const record = own(records, id);
  if (!record || record.org_id !== orgId) throw new ApiError(404, `${noun} ${id} not found`);
  return record;
}

export function gitConnection(content: ContentState, id: string): GitConnectionRecord {
  const connection = own(content.gitConnections, id);
  if (!connection) throw new ApiError(404, `Git connection ${id} not found`);
  return connection;
}

/** `Parent/Child`: the names from the root down; a note at the root has the path `""`. */
export function folderPath(content: ContentState, folderId: string | null): string {
  const names: string[] = [];
  for (let id = folderId; id !== null;) {
    const folder = own(content.knowledgeFolders, id);
    if (!folder) break;
    names.unshift(folder.name);
    id = folder.parent_folder_id;
  }
  return names.join("/");
}
