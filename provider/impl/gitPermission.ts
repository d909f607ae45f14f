import { gitPermission as table } from "../schema/gitPermission";
import { seg } from "./api";
import { checkBoolean, checkOptionalText, checkRequiredOrgId, checkText, failures, type CheckFailure } from "./check";
import type { DevinClient } from "./client";
import { duplicateObjectError } from "./errors";
import { type CommonOutputs, listOfOrg, named, noneAsNull, objectId, objectLifecycle, requestBody } from "./objectLifecycle";
import { declaredArguments, isUnknown } from "./values";

export const gitPermissionPaths = {
  /** An org's git permissions: GET lists, POST adds a batch; there is no GET by id. */
  gitPermissions: (orgId: string) => `/v3/enterprise/organizations/${seg(orgId)}/git-providers/permissions`,
  /** One git permission: PATCH changes `read_only`, DELETE removes it. */
  gitPermission: (orgId: string, permissionId: string) =>
    `/v3/enterprise/organizations/${seg(orgId)}/git-providers/permissions/${seg(permissionId)}`,
} as const;

/** Exactly one of the three path fields is set. */
export interface ApiGitPermission {
  git_permission_id: string;
  git_connection_id: string;
  repo_path: string | null;
  /** Returned without the trailing `/` the API stores. */
  group_prefix: string | null;
  prefix_path: string | null;
  read_only?: boolean;
  created_at: number | null;
}

/**
 * An org's permission on repositories of a git connection: one repository, a group of them by prefix, or a path prefix.
 * Only `readOnly` changes in place; any other change is a new permission. There is no GET by id: it is found in the
 * org's list.
 */

export interface GitPermissionInputs {
  orgId: string;
  gitConnectionId: string;
  repoPath?: string;
  groupPrefix?: string;
  prefixPath?: string;
  /** Filled in by check: false when left out. */
  readOnly: boolean;
  adoptId?: string;
}

export interface GitPermissionOutputs extends CommonOutputs {
  gitPermissionId: string;
  orgId: string;
  gitConnectionId: string;
  repoPath: string | null;
  groupPrefix: string | null;
  prefixPath: string | null;
  readOnly: boolean;
  createdAt: number | null;
}

const PATHS = ["repoPath", "groupPrefix", "prefixPath"] as const;
const EXAMPLES = { repoPath: "'acme/web'", groupPrefix: "'acme/frontend'", prefixPath: "'github.com/acme'" };

function checkPaths(news: Partial<GitPermissionInputs>): CheckFailure[] {
  const found = failures(PATHS.map((p) => [p, checkOptionalText(p, news[p], `a path such as ${EXAMPLES[p]}`)]));
  const set = PATHS.filter((p) => news[p] !== undefined && news[p] !== null);
  // Unknown values still count as set: each will be one.
  if (set.length !== 1) {
    found.push({
      property: set[1] ?? "repoPath",
      reason:
        set.length === 0
          ? "set exactly one of repoPath (one repository, such as 'acme/web'), groupPrefix (every repository under a group, such as 'acme/frontend') or prefixPath (every repository whose path starts with it, such as 'github.com/acme')."
          : `set exactly one of repoPath, groupPrefix and prefixPath; this sets ${set.join(" and ")}. Declare one GitPermission for each.`,
    });
  }
  const group = news.groupPrefix;
  if (typeof group === "string" && !isUnknown(group) && group.endsWith("/"))
    found.push({
      property: "groupPrefix",
      reason: `groupPrefix '${group}' must not end with '/' (the API adds it): use '${group.replace(/\/+$/, "")}'.`,
    });
  return found;
}

/** The API keeps a trailing '/' on a group prefix, and answers without it; a client must not depend on which. */
export const withoutSlash = (group: string | null | undefined) => group?.replace(/\/+$/, "");

/** The path field a permission sets, as `[name, value]`. */
function pathOf(x: Partial<GitPermissionInputs> | GitPermissionOutputs): [string, string] | undefined {
  const name = PATHS.find((p) => x[p] !== undefined && x[p] !== null);
  return name ? [name, x[name] as string] : undefined;
}

const list = (client: DevinClient, orgId: string, operation: string) =>
  listOfOrg<ApiGitPermission>(client, gitPermissionPaths.gitPermissions(orgId), operation);

export const gitPermission = objectLifecycle<GitPermissionInputs, ApiGitPermission, GitPermissionOutputs>({
  table,
  noun: "git permission",
  idPrefix: "git-permission",
  describe: (inputs) => {
    const [name, value] = pathOf(inputs) ?? ["path", "?"];
    return `git permission on ${name} '${value}' in ${inputs.orgId}`;
  },
  check: (_olds, news) => ({
    inputs: declaredArguments(table, news, { readOnly: false }),
    failures: [
      ...failures([
        ["orgId", checkRequiredOrgId(news.orgId, "the permission")],
        ["gitConnectionId", checkText("gitConnectionId", news.gitConnectionId, "a git connection's id (see getGitConnections)")],
        ["readOnly", checkBoolean("readOnly", news.readOnly)],
      ]),
      ...checkPaths(news),
    ],
  }),
  sameKey: async (client, inputs, operation) => {
    const [name, value] = pathOf(inputs) ?? ["", ""];
    return (await list(client, inputs.orgId, operation)).filter((p) => {
      const live = named(table, p) as Partial<GitPermissionOutputs>;
      const path = live[name as (typeof PATHS)[number]];
      return live.gitConnectionId === inputs.gitConnectionId && (name === "groupPrefix" ? withoutSlash(path) : path) === value;
    });
  },
  get: async (client, scope, id, operation) => (await list(client, scope as string, operation)).find((p) => objectId(table, p) === id),
  refuse: (ids, inputs, operation) => {
    const [name, value] = pathOf(inputs) ?? ["path", "?"];
    return duplicateObjectError(
      operation,
      `a permission of ${inputs.gitConnectionId} on ${name} '${value}' in ${inputs.orgId}`,
      ids,
      "GitPermission",
    );
  },
  // The API adds permissions in batches: this is a batch of one, which sends the two paths it does not set as null.
  post: (inputs) => ({
    method: "POST",
    path: gitPermissionPaths.gitPermissions(inputs.orgId),
    body: { permissions: [requestBody(table, noneAsNull(table, inputs))] },
  }),
  fromPost: (answer) => (answer as ApiGitPermission[])[0],
  update: async (client, id, olds, news, _changed, operation) =>
    (
      await client.call<ApiGitPermission>(
        { method: "PATCH", path: gitPermissionPaths.gitPermission(olds.orgId, id), body: requestBody(table, news, ["readOnly"]) },
        { operation },
      )
    ).body,
  itemPath: (scope, id) => gitPermissionPaths.gitPermission(scope as string, id),
  outputs: (p, known) => ({
    // In the path only: the API's permissions do not say their org.
    orgId: known.orgId as string,
    groupPrefix: withoutSlash(p.groupPrefix) ?? null,
    readOnly: p.readOnly ?? false,
  }),
});
