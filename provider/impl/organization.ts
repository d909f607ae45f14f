import type * as dynamic from "@pulumi/pulumi/dynamic";
import { DevinClient } from "./client";
import { duplicateOrganizationError } from "./errors";
import { resolveSettings } from "./settings";
import { SCHEMA_VERSION, type ApiOrganization, type OrganizationInputs, type OrganizationOutputs } from "./types";
import { checkLimit, checkName, defined, differs, failures } from "./validate";

/** How far the server's clock may lag ours when deciding that an org was created by our own lost request. */
const CLOCK_SKEW_SECONDS = 120;

const path = (orgId: string) => `/v3/enterprise/organizations/${encodeURIComponent(orgId)}`;

/** The API's organization in the provider's camelCase shape. */
export function toOutputs(org: ApiOrganization): OrganizationOutputs {
  return {
    schemaVersion: SCHEMA_VERSION,
    orgId: org.org_id,
    name: org.name,
    acuLimit: org.max_cycle_acu_limit ?? null,
    maxSessionAcuLimit: org.max_session_acu_limit ?? null,
    createdAt: org.created_at,
    updatedAt: org.updated_at,
  };
}

/** The live object seen as inputs, so a refresh makes drift visible in the next preview. */
function toInputs(out: OrganizationOutputs): OrganizationInputs {
  return defined({ name: out.name, acuLimit: out.acuLimit ?? undefined, maxSessionAcuLimit: out.maxSessionAcuLimit ?? undefined });
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
      ["name", checkName(news.name)],
      ["acuLimit", checkLimit("acuLimit", news.acuLimit)],
      ["maxSessionAcuLimit", checkLimit("maxSessionAcuLimit", news.maxSessionAcuLimit)],
    ]);
    const inputs = defined({ name: news.name as string, acuLimit: news.acuLimit ?? undefined, maxSessionAcuLimit: news.maxSessionAcuLimit ?? undefined });
    return { inputs, failures: found };
  },

  async diff(_id: string, olds: OrganizationOutputs, news: OrganizationInputs): Promise<dynamic.DiffResult> {
    // Every field updates in place, so nothing forces a replacement; __provider is never compared.
    const changed = changedFields(olds, news);
    return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs: OrganizationInputs): Promise<dynamic.CreateResult<OrganizationOutputs>> {
    const client = new DevinClient(resolveSettings());
    const operation = `create organization '${inputs.name}'`;

    // Duplicate guard: an org with this name that this stack does not know is most likely the leftover of an
    // interrupted run. Creating another would leave two; stop and say how to recover instead.
    const existing = await findByName(client, inputs.name, operation);
    if (existing.length > 0) throw duplicateOrganizationError(inputs.name, existing.map((o) => o.org_id), client.settings.baseUrl);

    const startedAt = Math.floor(Date.now() / 1000);
    const res = await client.call<ApiOrganization>(
      {
        method: "POST",
        path: "/v3/enterprise/organizations",
        body: defined({ name: inputs.name, max_cycle_acu_limit: inputs.acuLimit ?? undefined, max_session_acu_limit: inputs.maxSessionAcuLimit ?? undefined }),
      },
      {
        operation,
        // After a lost response: the org named so, created since we sent the request, is ours (the guard above
        // found none with this name just before).
        reconcile: async () =>
          (await findByName(client, inputs.name, operation)).find((o) => o.created_at >= startedAt - CLOCK_SKEW_SECONDS),
      },
    );
    const outs = toOutputs(res.body);
    return { id: outs.orgId, outs };
  },

  async read(id: string): Promise<dynamic.ReadResult<OrganizationOutputs>> {
    const client = new DevinClient(resolveSettings());
    const res = await client.call<ApiOrganization>({ method: "GET", path: path(id) }, { operation: `read organization ${id}`, allow: [404] });
    // Deleted behind the stack's back: an empty result drops it from state, and the next `up` creates it again.
    if (res.status === 404) return {};
    const outs = toOutputs(res.body);
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
    const res = await client.call<ApiOrganization>(
      { method: "PATCH", path: path(id), body },
      { operation: `update organization ${id} ('${news.name}')` },
    );
    return { outs: toOutputs(res.body) };
  },

  async delete(id: string): Promise<void> {
    const client = new DevinClient(resolveSettings());
    await client.call({ method: "DELETE", path: path(id) }, { operation: `delete organization ${id}`, allow: [404] });
  },
};
