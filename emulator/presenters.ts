import type { Role, RoleAssignment } from "./permissions";
import type {
  GitConnectionRecord,
  GitPermissionRecord,
  GitRepositoryRecord,
  KnowledgeFolderRecord,
  KnowledgeNoteRecord,
  PlaybookRecord,
  ScheduleRecord,
  SecretRecord,
} from "./records";
import {
  isKeyActive,
  type ApiKeyRecord,
  type IdpGroupRecord,
  type IdpRoleAssignment,
  type OrgRecord,
  type ServiceUserRecord,
  type UserRecord,
} from "./store";

/** The `{role_id, role_name, role_type}` reference that role assignments store and the API shows. */
export function roleRef({ role_id, role_name, role_type }: Role): Role {
  return { role_id, role_name, role_type };
}

export function presentOrg(org: OrgRecord) {
  return {
    org_id: org.org_id,
    name: org.name,
    created_at: org.created_at,
    updated_at: org.updated_at,
    max_session_acu_limit: org.max_session_acu_limit,
    max_cycle_acu_limit: org.max_cycle_acu_limit,
  };
}

export function presentServiceUser(su: ServiceUserRecord) {
  return {
    service_user_id: su.service_user_id,
    name: su.name,
    expires_at: su.expires_at,
    deleted_at: su.deleted_at,
    role_assignments: presentAssignments(su.role_assignments),
  };
}

function presentAssignments(assignments: readonly RoleAssignment[]) {
  return assignments.map((a) => ({ role: roleRef(a.role), org_id: a.org_id }));
}

function presentIdpAssignments(assignments: readonly IdpRoleAssignment[]) {
  return assignments.map((a) => ({ role: roleRef(a.role), idp_group_name: a.idp_group_name, org_id: a.org_id }));
}

/** `User`: the direct role assignments only. */
export function presentUser(user: UserRecord) {
  return { user_id: user.user_id, email: user.email, name: user.name, role_assignments: presentAssignments(user.role_assignments) };
}

/** `UserWithIdpRoles`: direct assignments plus those inherited from IdP group mappings. */
export function presentUserWithIdpRoles(user: UserRecord, idp: readonly IdpRoleAssignment[]) {
  return { ...presentUser(user), idp_role_assignments: presentIdpAssignments(idp) };
}

/** `IdpGroupUser`: a member through IdP groups, without its direct assignments. */
export function presentIdpGroupUser(user: UserRecord, idp: readonly IdpRoleAssignment[]) {
  return { user_id: user.user_id, email: user.email, name: user.name, idp_role_assignments: presentIdpAssignments(idp) };
}

export function presentIdpGroup(group: IdpGroupRecord) {
  return { idp_group_name: group.idp_group_name, role_assignments: presentAssignments(group.role_assignments) };
}

export function presentApiKey(key: ApiKeyRecord, now: number) {
  return {
    api_key_id: key.api_key_id,
    api_key_name: key.api_key_name,
    created_at: key.created_at,
    expires_at: key.expires_at,
    is_active: isKeyActive(key, now),
    last_used_at: key.last_used_at,
    revoked_at: key.revoked_at,
  };
}

export function presentGitConnection(connection: GitConnectionRecord) {
  const { git_connection_id, git_provider_type, name, host, created_at } = connection;
  return { git_connection_id, git_provider_type, name, host, created_at };
}

export function presentGitRepository(connection: GitConnectionRecord, repo: GitRepositoryRecord) {
  return {
    provider_repository_id: repo.provider_repository_id,
    git_connection_id: connection.git_connection_id,
    git_connection_host: connection.host,
    repo_name: repo.repo_name,
    repo_path: repo.repo_path,
    repo_description: repo.repo_description,
    last_updated_at: repo.last_updated_at,
    repo_language: repo.repo_language,
  };
}

/** `group_prefix` is kept with a trailing `/` and shown without it, as the real API does. */
export function presentGitPermission(permission: GitPermissionRecord) {
  return {
    git_permission_id: permission.git_permission_id,
    git_connection_id: permission.git_connection_id,
    repo_path: permission.repo_path,
    group_prefix: permission.group_prefix === null ? null : permission.group_prefix.replace(/\/$/, ""),
    prefix_path: permission.prefix_path,
    read_only: permission.read_only,
    created_at: permission.created_at,
  };
}

export function presentPlaybook(playbook: PlaybookRecord) {
  return {
    playbook_id: playbook.playbook_id,
    title: playbook.title,
    body: playbook.body,
    macro: playbook.macro,
    created_by: playbook.created_by,
    updated_by: playbook.updated_by,
    created_at: playbook.created_at,
    updated_at: playbook.updated_at,
    access_type: playbook.access_type,
    org_id: playbook.org_id,
    structured_output_schema: playbook.structured_output_schema,
  };
}

/** `folder_path` and `macro` are derived by the server; the emulator derives no macro for notes. */
export function presentNote(note: KnowledgeNoteRecord, folderPath: string) {
  return {
    note_id: note.note_id,
    name: note.name,
    body: note.body,
    trigger: note.trigger,
    folder_id: note.folder_id,
    folder_path: folderPath,
    is_enabled: note.is_enabled,
    created_at: note.created_at,
    updated_at: note.updated_at,
    access_type: note.access_type,
    org_id: note.org_id,
    macro: null,
    pinned_repo: note.pinned_repo,
  };
}

/** `FolderSummary`. */
export function presentFolder(folder: KnowledgeFolderRecord, path: string, noteCount: number) {
  return { folder_id: folder.folder_id, name: folder.name, path, note_count: noteCount, parent_folder_id: folder.parent_folder_id };
}

/** Schedules are the one family with ISO-8601 times; whole seconds are written without a fraction. */
export function isoTime(unixMs: number): string {
  return new Date(unixMs).toISOString().replace(/\.000Z$/, "Z");
}

/** `playbookTitle` is null when the playbook the schedule names is gone. */
export function presentSchedule(schedule: ScheduleRecord, playbookTitle: string | null) {
  const iso = (seconds: number) => isoTime(seconds * 1000);
  return {
    scheduled_session_id: schedule.scheduled_session_id,
    org_id: schedule.org_id,
    created_by: schedule.created_by,
    name: schedule.name,
    prompt: schedule.prompt,
    playbook: schedule.playbook_id === null ? null : { playbook_id: schedule.playbook_id, title: playbookTitle },
    frequency: schedule.frequency,
    enabled: schedule.enabled,
    last_executed_at: null,
    created_at: iso(schedule.created_at),
    updated_at: iso(schedule.updated_at),
    last_error_at: null,
    last_error_message: null,
    consecutive_failures: 0,
    notify_on: schedule.notify_on,
    agent: schedule.agent,
    schedule_type: schedule.schedule_type,
    interval_count: schedule.interval_count,
    bypass_approval: schedule.bypass_approval,
    scheduled_at: schedule.scheduled_at === null ? null : isoTime(schedule.scheduled_at),
    tags: schedule.tags,
    platform: schedule.platform,
    slack_channel_id: schedule.slack_channel_id,
    slack_team_id: schedule.slack_team_id,
    target_devin_id: schedule.target_devin_id,
    last_edited_by: schedule.last_edited_by,
  };
}

/** `SecretResponse`: the request's `type` is `secret_type` here, and the value is never part of it. */
export function presentSecret(secret: SecretRecord) {
  return {
    secret_id: secret.secret_id,
    key: secret.key,
    note: secret.note,
    is_sensitive: secret.is_sensitive,
    created_by: secret.created_by,
    created_at: secret.created_at,
    secret_type: secret.secret_type,
    access_type: secret.access_type,
    updated_at: null,
    updated_by: null,
  };
}
