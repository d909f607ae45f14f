import type { ApiGitConnection, ApiOrganization, ApiServiceUser } from "./api";
import type { DevinClient } from "./client";
import { paths } from "./api";
import { run } from "./runState";
import { sharedRead } from "./sharedRead";

/**
 * What one run reads once and every create shares. The duplicate guard looks for objects left before the run began
 * (by an interrupted run, or by someone else): one list of the organizations, read at the first create, answers that
 * for every organization the run creates, and an organization this run created cannot hold a stray service user.
 * Reconciliation after a lost answer still reads afresh. Deleting organizations shares one list of the service
 * users the same way. The checks of the ids a program refers to (references.ts) share these lists, the git
 * connections, and one answer per id read by itself. What they read is kept in `run` (runState.ts), which the next
 * run's `configure` forgets.
 */

/** The organizations as the run's first create saw them, with those the run has created since. */
export function runOrganizations(client: DevinClient, operation: string): Promise<ApiOrganization[]> {
  return sharedRead(run.organizations, client.settings.baseUrl, () => client.listAll<ApiOrganization>(paths.organizations, operation));
}

/** Records an organization this run created: later creates see it, and its service users need no guard. */
export async function noteOrganizationCreated(client: DevinClient, org: ApiOrganization): Promise<void> {
  run.created.add(org.org_id);
  const list = run.organizations.get(client.settings.baseUrl);
  if (list) (await list.catch((): ApiOrganization[] => [])).push(org);
}

/** Records an object this run created, whose roles are then the stack's own (roleAssignment.ts). */
export function noteCreated(id: string): void {
  run.created.add(id);
}

/** Whether this run created the object (an organization: nothing in it predates the run). */
export function createdThisRun(orgId: string): boolean {
  return run.created.has(orgId);
}

/**
 * The enterprise's service users as the run's first organization delete saw them: every org delete checks which live
 * in its org from this one list (those the run deleted since are known to the caller).
 */
export function runServiceUsers(client: DevinClient, operation: string): Promise<ApiServiceUser[]> {
  return sharedRead(run.serviceUsers, client.settings.baseUrl, () => client.listAll<ApiServiceUser>(paths.serviceUsers, operation));
}

/** The enterprise's git connections, read once per run. */
export function runGitConnections(client: DevinClient, operation: string): Promise<ApiGitConnection[]> {
  return sharedRead(run.gitConnections, client.settings.baseUrl, () => client.listAll<ApiGitConnection>(paths.gitConnections, operation));
}

/** Whether the object of this kind and id exists, read once per run however many resources name it. */
export function runExists(client: DevinClient, kind: string, id: string, read: () => Promise<boolean>): Promise<boolean> {
  return sharedRead(run.existence, `${client.settings.baseUrl} ${kind} ${id}`, read);
}
