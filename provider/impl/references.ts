import { paths, permissionFor, type ApiOrganization, type ApiServiceUser } from "./api";
import type { CheckFailure } from "./check";
import { apiClient, type DevinClient } from "./client";
import { isHeld } from "./createOnce";
import { DevinApiError, DevinNetworkError, hiddenReferenceMessage, missingReferenceMessage } from "./errors";
import { createdThisRun, runExists, runGitConnections, runOrganizations } from "./runCache";
import { isOffline } from "./offline";
import { settingsProblem } from "./settings";
import { isUnknown } from "./values";

/**
 * An id a resource refers to that names nothing is bad input, found at preview rather than as a bare 404 halfway
 * through `up`: by a read, never a write, once per distinct id per run (runCache.ts), shared by every resource that
 * names it. Nothing is read for an id the inputs held already (an unchanged program sends no request), one still
 * unknown, one the stack holds, or one this run created.
 *
 * A read that fails for another reason than "not found" fails the check with its real cause, as the role lookup next
 * to it does: the client has already retried it, so the create would meet the same failure, and a preview that passes
 * while the API cannot be read would promise an `up` that cannot happen. A 403 says which permission the token lacks
 * to see the object, never that the object does not exist.
 */

/** The kinds of object a field may refer to, by the field's name. */
interface Referent {
  /** What the id names, for messages: "organization". */
  noun: string;
  /** The request whose permission a 403 names. */
  readPath: (id: string) => string;
  /** Where to find a real one, for the message. */
  fix: string;
  exists: (client: DevinClient, id: string, operation: string) => Promise<boolean>;
}

const isLive = (su: ApiServiceUser) => !su.deleted_at && (su.expires_at === null || su.expires_at > Date.now() / 1000);

const REFERENTS: Record<string, Referent> = {
  orgId: {
    noun: "organization",
    readPath: () => paths.organizations,
    fix: "use an Organization's orgId or one from getOrganizations()",
    // The duplicate guard reads this list too: one read answers every orgId of the run. An id it lacks may name an org
    // made since it was read, so its own GET decides.
    exists: async (client, id, operation) =>
      (await runOrganizations(client, "list organizations to check the orgIds the program names")).some(
        (o: ApiOrganization) => o.org_id === id,
      ) || runExists(client, "organization", id, async () => (await client.find(paths.organization(id), operation)) !== undefined),
  },
  serviceUserId: {
    noun: "live service user",
    readPath: (id) => paths.serviceUser(id),
    fix: "use a ServiceUser's serviceUserId or one from getServiceUsers() (a deleted or expired one cannot be used)",
    exists: (client, id, operation) =>
      runExists(client, "service-user", id, async () => {
        const found = await client.find<ApiServiceUser>(paths.serviceUser(id), operation);
        return found !== undefined && isLive(found);
      }),
  },
  userId: {
    noun: "user of the enterprise",
    readPath: (id) => paths.user(id),
    fix: "use a user_id from getUsers() (or getUsers({ email }))",
    exists: (client, id, operation) =>
      runExists(client, "user", id, async () => (await client.find(paths.user(id), operation)) !== undefined),
  },
  gitConnectionId: {
    noun: "git connection",
    readPath: () => paths.gitConnections,
    fix: "use a gitConnectionId from getGitConnections() (connections are made in the Devin app)",
    exists: async (client, id) =>
      (await runGitConnections(client, "list git connections to check the gitConnectionIds the program names")).some(
        (c) => c.git_connection_id === id,
      ),
  },
};

/**
 * The failures for the reference fields among `properties` whose id names nothing. Call it once the input rules have
 * passed (an id of the wrong shape is reported by them), with the old inputs (empty for a create).
 */
export async function checkReferences(olds: object, news: object, properties: string[]): Promise<CheckFailure[]> {
  const before = olds as Record<string, unknown>;
  const after = news as Record<string, unknown>;
  const toRead = properties.filter((p) => {
    const id = after[p];
    if (!REFERENTS[p] || typeof id !== "string" || isUnknown(id)) return false;
    return id !== before[p] && !isHeld(id) && !createdThisRun(id);
  });
  // Bad settings are reported by the check already; reading with them would only repeat the problem.
  if (toRead.length === 0 || isOffline() || settingsProblem()) return [];
  const client = apiClient();
  const found = await Promise.all(toRead.map((p) => checkOne(client, p, after[p] as string)));
  return found.filter((f): f is CheckFailure => f !== undefined);
}

async function checkOne(client: DevinClient, property: string, id: string): Promise<CheckFailure | undefined> {
  const referent = REFERENTS[property];
  try {
    if (await referent.exists(client, id, `check that ${property} '${id}' exists`)) return undefined;
    return { property, reason: missingReferenceMessage(property, id, referent.noun, referent.fix) };
  } catch (e) {
    if (e instanceof DevinApiError && e.status === 403) {
      const permission = permissionFor("GET", referent.readPath(id)) ?? "the permission to read it";
      return { property, reason: hiddenReferenceMessage(property, id, referent.noun, permission) };
    }
    if (e instanceof DevinApiError || e instanceof DevinNetworkError) return { property: "", reason: e.message };
    throw e;
  }
}
