import { adoptIdField, orgIdField } from "./fields";
import type { ResourceSchema } from "./types";

/** The API never returns the value, and has no update: every argument replaces the secret. */
/** What a secret's type may be; the lifecycle checks against the same list. */
export const SECRET_TYPES = ["key-value", "cookie", "totp"] as const;

export const secret: ResourceSchema = {
  kind: "Secret",
  description:
    "A secret of an org, given to its sessions as an environment variable. The API has no update: any change replaces the secret (deleting the old one first when the key stays the same, as keys are unique in the org). New values reach only sessions started afterwards.",
  example: `const config = new pulumi.Config();
new devin.Secret("npm", { orgId: eng.orgId, key: "NPM_TOKEN", value: config.requireSecret("npmToken") });`,
  importId: "the secret id, `secret-…`, of a secret of the org (its value cannot be read: the stack takes it to be `value`)",
  idOutput: "secretId",
  naturalKey: { of: ["orgId", "key"], describe: ([o, k]) => `the secret key '${k}' in ${o}`, unlessAdopting: true },
  permissions: [{ method: "*", path: /^\/organizations\/[^/]+\/secrets(\/.*)?$/, permission: "ManageOrgSecrets" }],
  fields: [
    { name: "secretId", wire: "secret_id", type: "string", description: "The secret id (`secret-…`), the same value as the resource id." },
    // In the path only: the API's secrets do not say their org.
    orgIdField("secret"),
    {
      name: "key",
      wire: "key",
      type: "string",
      input: "required",
      replaces: true,
      description:
        "The environment variable sessions read it from, such as `NPM_TOKEN`; unique in the org. Changing it replaces the secret.",
    },
    {
      // Sent, never returned: the output is the declared value.
      name: "value",
      wire: "value",
      type: "string",
      input: "required",
      replaces: true,
      secret: true,
      description:
        "The value. Always treated as a Pulumi secret: it is encrypted in the state and shown as `[secret]` in previews, even when given as a plain string. Take it from stack config set with `pulumi config set --secret`. The API never shows it back, so a change made in the Devin app cannot be seen; changing it here replaces the secret. As an output: the declared value.",
    },
    {
      // The answer's name; the request names it `type`.
      name: "type",
      wire: "secret_type",
      requestWire: "type",
      type: "string",
      values: SECRET_TYPES,
      input: "optional",
      replaces: true,
      description: '`"key-value"` (the default), `"cookie"` or `"totp"`. Changing it replaces the secret.',
    },
    {
      name: "isSensitive",
      wire: "is_sensitive",
      type: "boolean",
      input: "optional",
      replaces: true,
      description: "Whether the app hides the value (default true). Changing it replaces the secret.",
    },
    {
      name: "note",
      wire: "note",
      type: "string",
      input: "optional",
      nullable: true,
      replaces: true,
      description: "A note for people. Changing it replaces the secret.",
    },
    adoptIdField(
      "Manage an existing secret of the org (`secret-…`) instead of creating one. Its value cannot be read, so the stack takes it to be `value`; change `value` later to replace it. Read only when the resource is created.",
    ),
    { name: "createdBy", wire: "created_by", type: "string", description: "Who created it (a user or service user id)." },
    { name: "createdAt", wire: "created_at", type: "integer", description: "Creation time, unix seconds." },
  ],
  leftOut: {
    access_type: "Always `org` for a secret of an org.",
    updated_at: "A secret never changes in place: a change replaces it, so there is nothing after `createdAt`.",
    updated_by: "A secret never changes in place: a change replaces it, so there is nothing after `createdBy`.",
  },
};
