import type * as dynamic from "@pulumi/pulumi/dynamic";
import { DevinClient } from "./client";
import { createOnce, PartialCreateError } from "./createOnce";
import { adoptTargetMissingError, duplicateOrganizationError, organizationHasServiceUsersError } from "./errors";
import { deletionsInFlight } from "./serviceUser";
import { resolveSettings, settingsProblem } from "./settings";
import { SCHEMA_VERSION, type ApiOrganization, type ApiServiceUser, type OrganizationInputs, type OrganizationOutputs } from "./types";
import { checkId, checkLimit, checkName, defined, differs, failures, MAX_ORGANIZATION_NAME } from "./validate";

const path = (orgId: string) => `/v3/enterprise/organizations/${encodeURIComponent(orgId)}`;

type Unmanaged = NonNullable<OrganizationOutputs["unmanaged"]>;

/** The optional inputs this program leaves out: the server keeps its own value for them. */
const unmanagedOf = (inputs: OrganizationInputs): Unmanaged => (inputs.maxSessionAcuLimit === undefined || inputs.maxSessionAcuLimit === null ? ["maxSessionAcuLimit"] : []);

/** The API's organization in the provider's camelCase shape. */
export function toOutputs(org: ApiOrganization, unmanaged: Unmanaged = [], adoptId?: string): OrganizationOutputs {
  return defined({
    schemaVersion: SCHEMA_VERSION,
    orgId: org.org_id,
    name: org.name,
    acuLimit: org.max_cycle_acu_limit ?? null,
    maxSessionAcuLimit: org.max_session_acu_limit ?? null,
    createdAt: org.created_at,
    updatedAt: org.updated_at,
    unmanaged,
    adoptId,
  });
}

/**
 * The live object seen as the program's inputs, so a refresh makes drift visible in the next preview. A field the
 * program does not manage is left out: its live value is not drift, and must not show as a change.
 */
function toInputs(out: OrganizationOutputs): OrganizationInputs {
  // State written before schema 2 does not say; treating the field as unmanaged never invents a change.
  const unmanaged = out.unmanaged ?? ["maxSessionAcuLimit"];
  return defined({
    name: out.name,
    acuLimit: out.acuLimit ?? undefined,
    maxSessionAcuLimit: unmanaged.includes("maxSessionAcuLimit") ? undefined : (out.maxSessionAcuLimit ?? undefined),
  });
}

/** The fields that differ between state and the declared inputs. An omitted maxSessionAcuLimit is not managed. */
function changedFields(olds: OrganizationOutputs, news: OrganizationInputs): (keyof OrganizationInputs)[] {
  const changed: (keyof OrganizationInputs)[] = [];
  if (differs(olds.name, news.name)) changed.push("name");
  if (differs(olds.acuLimit ?? null, news.acuLimit ?? null)) changed.push("acuLimit");
  if (news.maxSessionAcuLimit !== undefined && news.maxSessionAcuLimit !== null && differs(olds.maxSessionAcuLimit, news.maxSessionAcuLimit)) {
    changed.push("maxSessionAcuLimit");
  }
  return changed;
}

async function findByName(client: DevinClient, name: string, operation: string): Promise<ApiOrganization[]> {
  const orgs = await client.listAll<ApiOrganization>("/v3/enterprise/organizations", operation);
  return orgs.filter((o) => o.name === name);
}

export const organization = {
  async check(_olds: Partial<OrganizationInputs>, news: Partial<OrganizationInputs>): Promise<dynamic.CheckResult<OrganizationInputs>> {
    const found = failures([
      ["", settingsProblem()],
      ["name", checkName(news.name, MAX_ORGANIZATION_NAME)],
      ["acuLimit", checkLimit("acuLimit", news.acuLimit)],
      ["maxSessionAcuLimit", checkLimit("maxSessionAcuLimit", news.maxSessionAcuLimit)],
      ["adoptId", checkId("adoptId", news.adoptId, "org")],
    ]);
    const inputs = defined({
      name: news.name as string,
      acuLimit: news.acuLimit ?? undefined,
      maxSessionAcuLimit: news.maxSessionAcuLimit ?? undefined,
      adoptId: news.adoptId ?? undefined,
    });
    return { inputs, failures: found };
  },

  async diff(_id: string, olds: OrganizationOutputs, news: OrganizationInputs): Promise<dynamic.DiffResult> {
    // Every field updates in place, so nothing forces a replacement; __provider is never compared.
    // Starting or stopping to manage maxSessionAcuLimit changes nothing on the server, so it is no change here either:
    // the state records it with the next real update.
    const changed = changedFields(olds, news);
    return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs: OrganizationInputs): Promise<dynamic.CreateResult<OrganizationOutputs>> {
    const client = new DevinClient(resolveSettings());
    const operation = `create organization '${inputs.name}'`;
    const outs = await createOnce<ApiOrganization, OrganizationOutputs>({
      client,
      operation,
      adoptId: inputs.adoptId,
      fetch: async (id) => {
        const res = await client.call<ApiOrganization>({ method: "GET", path: path(id) }, { operation: `${operation}: read ${id} to adopt it`, allow: [404] });
        return res.status === 404 ? undefined : res.body;
      },
      sameKey: async () => findByName(client, inputs.name, operation),
      idOf: (o) => o.org_id,
      madeSince: (o, startedAt) => o.created_at >= startedAt,
      post: {
        method: "POST",
        path: "/v3/enterprise/organizations",
        body: defined({ name: inputs.name, max_cycle_acu_limit: inputs.acuLimit ?? undefined, max_session_acu_limit: inputs.maxSessionAcuLimit ?? undefined }),
      },
      created: (answer) => toOutputs(answer as ApiOrganization, unmanagedOf(inputs), inputs.adoptId),
      takeOver: async ({ found }) => {
        // Adopted (or found after a lost answer): the inputs win, in one PATCH of the fields that differ.
        const live = toOutputs(found, unmanagedOf(inputs), inputs.adoptId);
        if (changedFields(live, inputs).length === 0) return live;
        try {
          return (await organization.update(found.org_id, live, inputs)).outs as OrganizationOutputs;
        } catch (e) {
          throw new PartialCreateError(`${operation}: adopted ${found.org_id}, but updating it failed: ${(e as Error).message}`, found.org_id, { ...live });
        }
      },
      refuse: (existing) => duplicateOrganizationError(inputs.name, existing.map((o) => o.org_id)),
      missing: (id) => adoptTargetMissingError(operation, id),
    });
    return { id: outs.orgId, outs };
  },

  async read(id: string, props?: OrganizationOutputs): Promise<dynamic.ReadResult<OrganizationOutputs>> {
    const client = new DevinClient(resolveSettings());
    const res = await client.call<ApiOrganization>({ method: "GET", path: path(id) }, { operation: `read organization ${id}`, allow: [404] });
    // Deleted behind the stack's back: an empty result drops it from state, and the next `up` creates it again.
    if (res.status === 404) return {};
    const outs = toOutputs(res.body, props?.unmanaged ?? ["maxSessionAcuLimit"], props?.adoptId);
    return { id, props: outs, inputs: toInputs(outs) as unknown as OrganizationOutputs };
  },

  async update(id: string, olds: OrganizationOutputs, news: OrganizationInputs): Promise<dynamic.UpdateResult<OrganizationOutputs>> {
    const client = new DevinClient(resolveSettings());
    const changed = changedFields(olds, news);
    const body: Record<string, unknown> = {};
    if (changed.includes("name")) body.name = news.name;
    // Merge-patch: an explicit null is what clears the cycle limit when acuLimit is removed.
    if (changed.includes("acuLimit")) body.max_cycle_acu_limit = news.acuLimit ?? null;
    if (changed.includes("maxSessionAcuLimit")) body.max_session_acu_limit = news.maxSessionAcuLimit;
    // A partial create (the adopted org's PATCH failed) comes back here with nothing left to change, or with the PATCH.
    if (Object.keys(body).length === 0) return { outs: { ...olds, schemaVersion: SCHEMA_VERSION, unmanaged: unmanagedOf(news) } };
    const res = await client.call<ApiOrganization>(
      { method: "PATCH", path: path(id), body },
      { operation: `update organization ${id} ('${news.name}')` },
    );
    return { outs: toOutputs(res.body, unmanagedOf(news), olds.adoptId) };
  },

  async delete(id: string): Promise<void> {
    const client = new DevinClient(resolveSettings());
    const operation = `delete organization ${id}`;
    // The API deletes the service users provisioned in an org along with it. Those still alive must go first, so that
    // no stack keeps them with dead keys; ones this process is deleting right now (same run, no dependency) are waited for.
    const members = await client.call<{ items?: ApiServiceUser[] }>(
      { method: "GET", path: `${path(id)}/members/service-users`, query: { first: 200 } },
      { operation, allow: [404] },
    );
    if (members.status === 404) return;
    const orgScoped = (members.body.items ?? []).filter((su) => !su.role_assignments.some((a) => a.org_id === null));
    const remaining = [];
    for (const su of orgScoped) {
      const deleting = deletionsInFlight.get(su.service_user_id);
      if (deleting && (await deleting.then(() => true, () => false))) continue;
      remaining.push(su);
    }
    if (remaining.length > 0) throw organizationHasServiceUsersError(id, remaining);
    await client.call({ method: "DELETE", path: path(id) }, { operation, allow: [404] });
  },
};
