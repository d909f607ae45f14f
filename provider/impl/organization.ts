import { organization as table } from "../schema/organization";
import { fromWire, toWire } from "../schema/wire";
import type { OrganizationInfo } from "../types";
import { paths, type ApiOrganization } from "./api";
import { checkId, checkLimit, checkName, failures, MAX_ORGANIZATION_NAME } from "./check";
import { apiClient, type DevinClient } from "./client";
import { createOnce, PartialCreateError } from "./createOnce";
import { adoptTargetMissingError, duplicateOrganizationError, organizationHasServiceUsersError, partialCreateMessage } from "./errors";
import { SCHEMA_VERSION, type Lifecycle } from "./lifecycle";
import { isOrgScoped } from "./serviceUser";
import { noteOrganizationCreated, runOrganizations, runServiceUsers } from "./runCache";
import { run } from "./runState";
import { settingsProblem } from "./settings";
import { declaredArguments, defined, differs } from "./values";

/** Plain (resolved) inputs, as they cross the dynamic-provider boundary. The public Input-typed args are in ../organization.ts. */
export interface OrganizationInputs {
  name: string;
  acuLimit?: number | null;
  maxSessionAcuLimit?: number | null;
  /** An existing org to manage instead of creating one; read only at create. */
  adoptId?: string;
}

/** The org's fields by the provider's names, with what the state needs besides. */
export interface OrganizationOutputs extends OrganizationInfo {
  schemaVersion: number;
  /** Optional inputs the program does not declare: their live values are outputs only, never drift. Absent before schema 2. */
  unmanaged?: "maxSessionAcuLimit"[];
  /** The adopted org, when the program adopted it rather than created it. */
  adoptId?: string;
}

type Unmanaged = NonNullable<OrganizationOutputs["unmanaged"]>;

/** The optional inputs this program leaves out: the server keeps its own value for them. */
const unmanagedOf = (inputs: OrganizationInputs): Unmanaged =>
  inputs.maxSessionAcuLimit === undefined || inputs.maxSessionAcuLimit === null ? ["maxSessionAcuLimit"] : [];

export function toOutputs(org: ApiOrganization, unmanaged: Unmanaged = [], adoptId?: string): OrganizationOutputs {
  return defined({
    schemaVersion: SCHEMA_VERSION,
    ...(fromWire(table.fields, { ...org }) as unknown as OrganizationInfo),
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
function changedFields(olds: OrganizationOutputs, news: OrganizationInputs): ("name" | "acuLimit" | "maxSessionAcuLimit")[] {
  const changed: ("name" | "acuLimit" | "maxSessionAcuLimit")[] = [];
  if (differs(olds.name, news.name)) changed.push("name");
  if (differs(olds.acuLimit ?? null, news.acuLimit ?? null)) changed.push("acuLimit");
  if (
    news.maxSessionAcuLimit !== undefined &&
    news.maxSessionAcuLimit !== null &&
    differs(olds.maxSessionAcuLimit, news.maxSessionAcuLimit)
  ) {
    changed.push("maxSessionAcuLimit");
  }
  return changed;
}

/** Every field of an org the API shows, by the provider's names. */
const WIRE_FIELDS = table.fields.filter((f) => f.wire && f.output !== false).map((f) => f.name);

/** The org as the API shows it, from the outputs: what the run's shared list records for a created org. */
function organizationBodyOf(outs: OrganizationOutputs): ApiOrganization {
  return toWire(table.fields, outs, WIRE_FIELDS) as unknown as ApiOrganization;
}

async function findByName(client: DevinClient, name: string, operation: string): Promise<ApiOrganization[]> {
  return (await client.listAll<ApiOrganization>(paths.organizations, operation)).filter((o) => o.name === name);
}

export const organization: Lifecycle<OrganizationInputs, OrganizationOutputs> = {
  async check(_olds, news) {
    const found = failures([
      ["", settingsProblem()],
      ["name", checkName(news.name, MAX_ORGANIZATION_NAME)],
      ["acuLimit", checkLimit("acuLimit", news.acuLimit)],
      ["maxSessionAcuLimit", checkLimit("maxSessionAcuLimit", news.maxSessionAcuLimit)],
      ["adoptId", checkId("adoptId", news.adoptId, "org")],
    ]);
    const inputs = declaredArguments<OrganizationInputs>(table, news);
    return { inputs, failures: found };
  },

  async diff(_id, olds, news) {
    // Every field updates in place, so nothing forces a replacement; __provider is never compared.
    // Starting or stopping to manage maxSessionAcuLimit changes nothing on the server, so it is no change here either:
    // the state records it with the next real update.
    const changed = changedFields(olds, news);
    return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs) {
    const client = apiClient();
    const operation = `create organization '${inputs.name}'`;
    const outs = await createOnce<ApiOrganization, OrganizationOutputs>({
      client,
      operation,
      adoptId: inputs.adoptId,
      fetch: (id) => client.find<ApiOrganization>(paths.organization(id), `${operation}: read ${id} to adopt it`),
      sameKey: async () => findByName(client, inputs.name, operation),
      strays: async () => (await runOrganizations(client, operation)).filter((o) => o.name === inputs.name),
      idOf: (o) => o.org_id,
      madeSince: (o, startedAt) => o.created_at >= startedAt,
      post: {
        method: "POST",
        path: paths.organizations,
        body: toWire(table.fields, {
          name: inputs.name,
          acuLimit: inputs.acuLimit ?? undefined,
          maxSessionAcuLimit: inputs.maxSessionAcuLimit ?? undefined,
        }),
      },
      created: (answer) => toOutputs(answer as ApiOrganization, unmanagedOf(inputs), inputs.adoptId),
      takeOver: async ({ found, how }) => {
        // Adopted (or found after a lost answer): the inputs win, in one PATCH of the fields that differ.
        const live = toOutputs(found, unmanagedOf(inputs), inputs.adoptId);
        if (changedFields(live, inputs).length === 0) return live;
        try {
          return (await organization.update(found.org_id, live, inputs)).outs as OrganizationOutputs;
        } catch (e) {
          const what = how === "adopted" ? "adopted it" : "its answer was lost, and it was found";
          throw new PartialCreateError(partialCreateMessage(operation, what, found.org_id, e, "organization"), found.org_id, { ...live });
        }
      },
      refuse: (existing) =>
        duplicateOrganizationError(
          inputs.name,
          existing.map((o) => o.org_id),
        ),
      missing: (id) => adoptTargetMissingError(operation, id),
    });
    await noteOrganizationCreated(client, { ...organizationBodyOf(outs) });
    return { id: outs.orgId, outs };
  },

  async read(id, props) {
    const live = await apiClient().find<ApiOrganization>(paths.organization(id), `read organization ${id}`);
    // Deleted behind the stack's back: an empty result drops it from state, and the next `up` creates it again.
    if (live === undefined) return {};
    const outs = toOutputs(live, props?.unmanaged ?? ["maxSessionAcuLimit"], props?.adoptId);
    return { id, props: outs, inputs: toInputs(outs) as unknown as OrganizationOutputs };
  },

  async update(id, olds, news) {
    const changed = changedFields(olds, news);
    // Merge-patch: an explicit null is what clears the cycle limit when acuLimit is removed.
    const body = toWire(table.fields, {
      name: changed.includes("name") ? news.name : undefined,
      acuLimit: changed.includes("acuLimit") ? (news.acuLimit ?? null) : undefined,
      maxSessionAcuLimit: changed.includes("maxSessionAcuLimit") ? news.maxSessionAcuLimit : undefined,
    });
    // A partial create (the adopted org's PATCH failed) comes back here with nothing left to change, or with the PATCH.
    if (Object.keys(body).length === 0) return { outs: { ...olds, schemaVersion: SCHEMA_VERSION, unmanaged: unmanagedOf(news) } };
    const res = await apiClient().call<ApiOrganization>(
      { method: "PATCH", path: paths.organization(id), body },
      { operation: `update organization ${id} ('${news.name}')` },
    );
    return { outs: toOutputs(res.body, unmanagedOf(news), olds.adoptId) };
  },

  async delete(id) {
    const client = apiClient();
    const operation = `delete organization ${id}`;
    // The API deletes the service users provisioned in an org along with it. Those still alive must go first, so that
    // no stack keeps them with dead keys; ones this run is deleting right now (same run, no dependency) are waited for.
    // One list of the enterprise's service users serves every org the run deletes.
    const members = (await runServiceUsers(client, operation)).filter((su) => su.role_assignments.some((a) => a.org_id === id));
    const remaining = [];
    for (const su of members.filter((m) => isOrgScoped(m))) {
      const deleting = run.serviceUserDeletions.get(su.service_user_id);
      if (
        deleting &&
        (await deleting.then(
          () => true,
          () => false,
        ))
      )
        continue;
      remaining.push(su);
    }
    if (remaining.length > 0) throw organizationHasServiceUsersError(id, remaining);
    await client.call({ method: "DELETE", path: paths.organization(id) }, { operation, allow: [404] });
  },
};
