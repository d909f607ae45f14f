import { paths, type OrgGroupsConfig } from "./api";
import { checkId, failures, type CheckFailure } from "./check";
import { apiClient } from "./client";
import { createOnce } from "./createOnce";
import { adoptTargetMissingError, DevinApiError, existingSingletonError, groupLimitsDisabledError } from "./errors";
import { SCHEMA_VERSION, type Lifecycle } from "./lifecycle";
import { settingsProblem } from "./settings";
import { defined, isUnknown } from "./values";

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

const toApi = (groups: OrgGroup[]): OrgGroupsConfig => ({
  groups: Object.fromEntries(groups.map((g) => [g.name, { org_ids: g.orgIds, max_cycle_acus: g.maxCycleAcus ?? null }])),
});
const fromApi = (config: OrgGroupsConfig): OrgGroup[] =>
  canonical(Object.entries(config.groups ?? {}).map(([name, g]) => ({ name, orgIds: g.org_ids, maxCycleAcus: g.max_cycle_acus })));

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

/**
 * The enterprise's org group limits: named groups of orgs that share an ACU cap per billing cycle. The resource owns
 * the whole configuration: create and update replace it, delete empties it. The API offers it only where the
 * feature is enabled.
 */
export const orgGroupLimits: Lifecycle<OrgGroupLimitsInputs, OrgGroupLimitsOutputs> = {
  async check(_olds, news) {
    const found = [...checkGroups(news.groups), ...failures([["", settingsProblem()]])];
    const groups = Array.isArray(news.groups) && found.length === 0 ? canonical(news.groups) : (news.groups as OrgGroup[]);
    return { inputs: defined({ groups, adoptId: news.adoptId ?? undefined }), failures: found };
  },

  async diff(_id, olds, news) {
    return {
      changes: isUnknown(news.groups) || JSON.stringify(olds.groups) !== JSON.stringify(news.groups),
      replaces: [],
      deleteBeforeReplace: false,
    };
  },

  async create(inputs) {
    const client = apiClient();
    const operation = "set the org group limits";
    const get = async () => {
      try {
        return (await client.call<OrgGroupsConfig>({ method: "GET", path: paths.orgGroupLimits }, { operation })).body;
      } catch (e) {
        throw e instanceof DevinApiError && e.status === 404 ? groupLimitsDisabledError(operation) : e;
      }
    };
    const put = { method: "PUT" as const, path: paths.orgGroupLimits, body: toApi(inputs.groups) };
    const outs = (config: OrgGroupsConfig) => defined({ schemaVersion: SCHEMA_VERSION, groups: fromApi(config), adoptId: inputs.adoptId });
    const result = await createOnce<OrgGroupsConfig, OrgGroupLimitsOutputs>({
      client,
      operation,
      adoptId: inputs.adoptId,
      fetch: async (id) => (id === ORG_GROUP_LIMITS_ID ? get() : undefined),
      sameKey: async () => {
        const live = await get();
        return Object.keys(live.groups ?? {}).length > 0 ? [live] : [];
      },
      idOf: () => ORG_GROUP_LIMITS_ID,
      madeSince: () => true,
      post: put,
      created: (answer) => outs(answer as OrgGroupsConfig),
      takeOver: async () => outs((await client.call<OrgGroupsConfig>(put, { operation })).body),
      refuse: ([live]) =>
        existingSingletonError(
          operation,
          `the enterprise already has org group limits (${Object.keys(live.groups).join(", ")})`,
          ORG_GROUP_LIMITS_ID,
        ),
      missing: (id) => adoptTargetMissingError(operation, id),
    });
    return { id: ORG_GROUP_LIMITS_ID, outs: result };
  },

  async read(id, props) {
    const res = await apiClient().call<OrgGroupsConfig>(
      { method: "GET", path: paths.orgGroupLimits },
      { operation: "read the org group limits", allow: [404] },
    );
    // The feature was turned off: there are no limits to hold.
    if (res.status === 404) return {};
    const groups = fromApi(res.body);
    return {
      id,
      props: defined({ schemaVersion: SCHEMA_VERSION, groups, adoptId: props?.adoptId }),
      inputs: { groups } as unknown as OrgGroupLimitsOutputs,
    };
  },

  async update(_id, olds, news) {
    const res = await apiClient().call<OrgGroupsConfig>(
      { method: "PUT", path: paths.orgGroupLimits, body: toApi(news.groups) },
      { operation: "set the org group limits" },
    );
    return { outs: defined({ schemaVersion: SCHEMA_VERSION, groups: fromApi(res.body), adoptId: olds.adoptId }) };
  },

  async delete() {
    await apiClient().call(
      { method: "PUT", path: paths.orgGroupLimits, body: { groups: {} } },
      { operation: "remove the org group limits", allow: [404] },
    );
  },
};
