import { SECRET_TYPES, secret as table } from "../schema/secret";
import { seg } from "./api";
import { checkBoolean, checkOneOf, checkRequiredOrgId, checkText, failures } from "./check";
import type { DevinClient } from "./client";
import { DevinApiError, duplicateObjectError, hideSecretValue } from "./errors";
import { type CommonOutputs, listOfOrg, named, noneAsNull, objectId, objectLifecycle, requestBody } from "./objectLifecycle";
import { declaredArguments, isUnknown } from "./values";

export const secretPaths = {
  /** Secrets: list and create; there is no GET by id and no update. */
  secrets: (orgId: string) => `/v3/organizations/${seg(orgId)}/secrets`,
  secret: (orgId: string, secretId: string) => `/v3/organizations/${seg(orgId)}/secrets/${seg(secretId)}`,
} as const;

/** Never carries the value. The request names the type `type`; the answer names it `secret_type`. */
export interface ApiSecret {
  secret_id: string;
  key: string | null;
  note: string | null;
  is_sensitive: boolean;
  created_by: string;
  created_at: number;
  secret_type: string;
  access_type: "org" | "personal";
  updated_at?: number | null;
  updated_by?: string | null;
}

/**
 * A secret of an org, which sessions see as an environment variable. The API never returns the value, has no GET by
 * id and no update: the state keeps the value (as a Pulumi secret, encrypted), any change replaces the secret, and it
 * is read by paging the list. The key is unique in the org, so a replacement that keeps the key deletes first.
 */

export interface SecretInputs {
  orgId: string;
  key: string;
  value: string;
  /** Filled in by check: "key-value" when left out. */
  type: (typeof SECRET_TYPES)[number];
  /** Filled in by check: true when left out. */
  isSensitive: boolean;
  note?: string;
  adoptId?: string;
}

export interface SecretOutputs extends CommonOutputs {
  secretId: string;
  orgId: string;
  key: string;
  /** The declared value; the API cannot show it. A Pulumi secret. */
  value: string;
  type: string;
  isSensitive: boolean;
  note: string | null;
  createdBy: string;
  createdAt: number;
}

/** Sessions read the key as an environment variable. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const live = (client: DevinClient, orgId: string, operation: string) => listOfOrg<ApiSecret>(client, secretPaths.secrets(orgId), operation);

export const secret = objectLifecycle<SecretInputs, ApiSecret, SecretOutputs>({
  // There is no update: the table has every field replace.
  table,
  noun: "secret",
  idPrefix: "secret",
  describe: (inputs) => `secret '${inputs.key}' in ${inputs.orgId}`,
  hide: (x) => hideSecretValue(x?.value),
  check: (_olds, news) => ({
    inputs: declaredArguments(table, news, { type: "key-value", isSensitive: true }),
    failures: failures([
      ["orgId", checkRequiredOrgId(news.orgId, "the secret")],
      [
        "key",
        checkText("key", news.key, "the environment variable sessions read it from, such as 'NPM_TOKEN'") ??
          (typeof news.key === "string" && !isUnknown(news.key) && !ENV_NAME.test(news.key)
            ? `key '${news.key}' must be an environment variable name: letters, digits and '_', not starting with a digit, such as 'NPM_TOKEN'.`
            : undefined),
      ],
      // Never quote the value: a message is printed in logs.
      [
        "value",
        isUnknown(news.value) || (typeof news.value === "string" && news.value !== "")
          ? undefined
          : "value is required: the secret's value as a non-empty string, best from stack config set with 'pulumi config set --secret'.",
      ],
      ["type", checkOneOf("type", news.type, SECRET_TYPES)],
      ["isSensitive", checkBoolean("isSensitive", news.isSensitive)],
      [
        "note",
        news.note === undefined || news.note === null || isUnknown(news.note) || typeof news.note === "string"
          ? undefined
          : "note must be a string.",
      ],
    ]),
  }),
  sameKey: async (client, inputs, operation) =>
    (await live(client, inputs.orgId, operation)).filter((s) => named(table, s).key === inputs.key),
  get: async (client, scope, id, operation) => (await live(client, scope as string, operation)).find((s) => objectId(table, s) === id),
  refuse: (ids, inputs, operation) =>
    duplicateObjectError(
      operation,
      `a secret with the key '${inputs.key}' in ${inputs.orgId}`,
      ids,
      "Secret",
      " (its value cannot be read back, so adopting it keeps the value it has: the one this program sent, if this stack made it; otherwise change a field afterwards to replace it)",
    ),
  post: (inputs) => ({
    method: "POST",
    path: secretPaths.secrets(inputs.orgId),
    // The request names the type `type`; answers, and so the table, `secret_type`.
    body: requestBody(table, noneAsNull(table, inputs)),
  }),
  update: () => {
    throw new Error("a secret cannot change in place; every change replaces it");
  },
  // A secret that no longer exists answers DELETE with 403, not 404: look first, and look again after a 403.
  remove: async (client, id, state, operation) => {
    const exists = async () => (await live(client, state.orgId, operation)).some((s) => objectId(table, s) === id);
    if (!(await exists())) return;
    try {
      await client.call({ method: "DELETE", path: secretPaths.secret(state.orgId, id) }, { operation, allow: [404] });
    } catch (e) {
      if (e instanceof DevinApiError && e.status === 403 && !(await exists())) return;
      throw e;
    }
  },
  itemPath: (scope, id) => secretPaths.secret(scope as string, id),
  deleteBeforeReplace: (olds, news) => olds.orgId === news.orgId && olds.key === news.key,
  outputs: (s, known) => ({
    orgId: known.orgId as string,
    // The API may show no key; the declared one is the key.
    key: s.key ?? (known.key as string),
    // Never returned: the declared value.
    value: known.value as string,
  }),
});
