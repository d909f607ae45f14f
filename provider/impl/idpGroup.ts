import { idpGroup as table } from "../schema/idpGroup";
import { fromWire } from "../schema/wire";
import { seg } from "./api";
import { failures } from "./check";
import { apiClient, type DevinClient } from "./client";
import { createOnce } from "./createOnce";
import { adoptTargetMissingError, duplicateIdpGroupError } from "./errors";
import { SCHEMA_VERSION, type Lifecycle } from "./lifecycle";
import { settingsProblem } from "./settings";
import { defined, differs, isUnknown } from "./values";

export const idpGroupPaths = {
  /** IdP groups as registered names. */
  idpGroups: "/v3/enterprise/idp-groups",
  idpGroup: (name: string) => `/v3/enterprise/idp-groups/${seg(name)}`,
} as const;

export interface IdpGroupInputs {
  name: string;
  adoptId?: string;
}

export interface IdpGroupOutputs {
  schemaVersion: number;
  name: string;
  adoptId?: string;
}

async function registered(client: DevinClient, name: string, operation: string): Promise<string[]> {
  const groups = await client.listAll<{ idp_group_name: string }>(idpGroupPaths.idpGroups, operation);
  return groups.map((g) => fromWire(table.fields, g).name as string).filter((n) => n === name);
}

/** An IdP group registered with the enterprise, by the name the identity provider sends. It has no role on its own. */
export const idpGroup: Lifecycle<IdpGroupInputs, IdpGroupOutputs> = {
  async check(_olds, news) {
    const name = news.name;
    const found = failures([
      [
        "name",
        isUnknown(name) || (typeof name === "string" && name.trim() !== "")
          ? undefined
          : "name must be the group name your identity provider sends, such as 'engineering'.",
      ],
      ["", settingsProblem()],
    ]);
    return { inputs: defined({ name: name as string, adoptId: news.adoptId ?? undefined }), failures: found };
  },

  async diff(_id, olds, news) {
    // The name is the group: another name is another group.
    const replaces = differs(olds.name, news.name) ? ["name"] : [];
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    const client = apiClient();
    const operation = `register IdP group '${inputs.name}'`;
    const outs = (name: string) => defined({ schemaVersion: SCHEMA_VERSION, name, adoptId: inputs.adoptId });
    await createOnce<string, IdpGroupOutputs>({
      client,
      operation,
      adoptId: inputs.adoptId,
      fetch: async (id) => (id === inputs.name ? (await registered(client, id, operation))[0] : undefined),
      // Registering is idempotent in the API, so a group someone else registered would silently become this stack's,
      // and its destroy would unregister it: the guard stops that.
      sameKey: () => registered(client, inputs.name, operation),
      idOf: (name) => name,
      madeSince: () => true,
      // Registering takes a list of names, a field of the request only.
      post: { method: "POST", path: idpGroupPaths.idpGroups, body: { idp_group_names: [inputs.name] } },
      created: () => outs(inputs.name),
      takeOver: async ({ found }) => outs(found),
      refuse: () => duplicateIdpGroupError(operation, inputs.name),
      missing: (id) => adoptTargetMissingError(operation, id),
    });
    return { id: inputs.name, outs: outs(inputs.name) };
  },

  async read(id, props) {
    const names = await registered(apiClient(), id, `read IdP group '${id}'`);
    if (names.length === 0) return {};
    const outs = defined({ schemaVersion: SCHEMA_VERSION, name: id, adoptId: props?.adoptId });
    return { id, props: outs, inputs: { name: id } as unknown as IdpGroupOutputs };
  },

  async update(_id, olds) {
    return { outs: { ...olds, schemaVersion: SCHEMA_VERSION } };
  },

  async delete(id) {
    await apiClient().call(
      { method: "DELETE", path: idpGroupPaths.idpGroup(id) },
      { operation: `unregister IdP group '${id}'`, allow: [404] },
    );
  },
};
