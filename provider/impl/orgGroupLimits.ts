import { orgGroupLimits as schema } from "../schema/orgGroupLimits";
import { fromWire, objectFields, toWire } from "../schema/wire";
import { checkId, type CheckFailure } from "./check";
import type { DevinClient } from "./client";
import { groupLimitsDisabledError } from "./errors";
import { singletonLifecycle } from "./singletonLifecycle";
import { defined, isUnknown } from "./values";

export const orgGroupLimitsPaths = {
  orgGroupLimits: "/v3/enterprise/org-group-limits",
} as const;

export interface ApiOrgGroupLimits {
  groups: Record<string, { org_ids: string[]; max_cycle_acus: number | null }>;
}

/** The enterprise's one set of org group limits. */
export const ORG_GROUP_LIMITS_ID = "org-group-limits";

export interface OrgGroup {
  name: string;
  orgIds: string[];
  maxCycleAcus?: number | null;
}

export interface OrgGroupLimitsInputs {
  groups: OrgGroup[];
  adoptId?: string;
}

export interface OrgGroupLimitsOutputs {
  schemaVersion: number;
  groups: OrgGroup[];
  adoptId?: string;
}

/** The groups in a stable order (by name, org ids sorted), so equal configurations compare equal. */
function canonical(groups: OrgGroup[]): OrgGroup[] {
  return groups
    .map((g) => defined({ name: g.name, orgIds: [...g.orgIds].sort(), maxCycleAcus: g.maxCycleAcus ?? null }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The API keys the groups by name: a map from each name to the rest of the group. */
const GROUP = objectFields("OrgGroup");
const toApi = (groups: OrgGroup[]): ApiOrgGroupLimits => ({
  groups: Object.fromEntries(
    groups.map((g) => [g.name, toWire(GROUP, { ...g, maxCycleAcus: g.maxCycleAcus ?? null }) as ApiOrgGroupLimits["groups"][string]]),
  ),
});
const fromApi = (config: ApiOrgGroupLimits): OrgGroup[] =>
  canonical(Object.entries(config.groups ?? {}).map(([name, g]) => ({ name, ...fromWire(GROUP, g) }) as OrgGroup));

function checkGroups(value: unknown): CheckFailure[] {
  if (isUnknown(value)) return [];
  if (!Array.isArray(value)) return [{ property: "groups", reason: "groups must be a list of { name, orgIds, maxCycleAcus }." }];
  const found: CheckFailure[] = [];
  const names = new Map<string, number>();
  const orgs = new Map<string, string>();
  value.forEach((g: Partial<OrgGroup>, i) => {
    const at = `groups[${i}]`;
    if (isUnknown(g)) return;
    if (!isUnknown(g.name)) {
      if (typeof g.name !== "string" || g.name.trim() === "") found.push({ property: `${at}.name`, reason: "each group needs a name." });
      else if (names.has(g.name))
        found.push({
          property: `${at}.name`,
          reason: `group name '${g.name}' is also used by groups[${names.get(g.name)}]: the API keys groups by name, so one would silently replace the other. Give each group its own name.`,
        });
      else names.set(g.name, i);
    }
    if (!isUnknown(g.orgIds)) {
      if (!Array.isArray(g.orgIds)) found.push({ property: `${at}.orgIds`, reason: "orgIds must be a list of organization ids." });
      else {
        g.orgIds.forEach((o, j) => {
          const bad = checkId(`${at}.orgIds[${j}]`, o, "org");
          if (bad) found.push({ property: `${at}.orgIds[${j}]`, reason: bad });
          else if (typeof o === "string" && !isUnknown(o)) {
            if (orgs.has(o))
              found.push({
                property: `${at}.orgIds[${j}]`,
                reason: `${o} is also in group '${orgs.get(o)}': an org belongs to one group at most.`,
              });
            else orgs.set(o, String(g.name));
          }
        });
      }
    }
    const max = g.maxCycleAcus;
    if (max !== undefined && max !== null && !isUnknown(max) && (typeof max !== "number" || !Number.isSafeInteger(max) || max < 0)) {
      found.push({
        property: `${at}.maxCycleAcus`,
        reason: `maxCycleAcus must be a whole number of ACUs, 0 or more, shared by the group's orgs per billing cycle; leave it out for no cap (got ${JSON.stringify(max)}).`,
      });
    }
  });
  return found;
}

/** The org group limits as the API has them; undefined where the feature is off (or was turned off): there are none. */
export async function readGroupLimits(client: DevinClient, operation: string): Promise<ApiOrgGroupLimits | undefined> {
  const res = await client.call<ApiOrgGroupLimits>(
    { method: "GET", path: orgGroupLimitsPaths.orgGroupLimits },
    { operation, allow: [404] },
  );
  return res.status === 404 ? undefined : res.body;
}

/**
 * The enterprise's org group limits: named groups of orgs that share an ACU cap per billing cycle. The resource owns
 * the whole configuration: create and update replace it, delete empties it. The API offers it only where the
 * feature is enabled.
 */
export const orgGroupLimits = singletonLifecycle<OrgGroupLimitsInputs, ApiOrgGroupLimits, OrgGroupLimitsOutputs>({
  schema,
  key: () => ORG_GROUP_LIMITS_ID,
  what: () => "the org group limits",
  clearing: "remove",
  check(_olds, news) {
    const found = checkGroups(news.groups);
    const groups = Array.isArray(news.groups) && found.length === 0 ? canonical(news.groups) : (news.groups as OrgGroup[]);
    return { inputs: defined({ groups }), failures: found };
  },
  get: (client, _key, operation) => readGroupLimits(client, operation),
  unavailable: groupLimitsDisabledError,
  isSet: (live) => Object.keys(live.groups ?? {}).length > 0,
  existing: (_key, live) => `the enterprise already has org group limits (${Object.keys(live.groups).join(", ")})`,
  put: (_key, inputs) => ({ method: "PUT", path: orgGroupLimitsPaths.orgGroupLimits, body: toApi(inputs.groups) }),
  clear: () => ({ method: "PUT", path: orgGroupLimitsPaths.orgGroupLimits, body: { groups: {} } }),
  outputs: (live) => ({ groups: fromApi(live) }),
});
