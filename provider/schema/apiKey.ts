import { adoptIdField } from "./fields";
import { SERVICE_USER_PERMISSIONS } from "./serviceUser";
import type { ResourceSchema } from "./types";

export const apiKey: ResourceSchema = {
  kind: "ApiKey",
  description:
    "An API key of a service user that rotates itself: when `rotationTriggers` change, when it is older than `rotateAfterSeconds`, or when it was revoked or expired outside Pulumi. A rotation is an in-place update: the new key is issued first, then the old one is revoked, so a working key exists at every moment; the old key stops working when `pulumi up` has the new one. Delete revokes the key.",
  example: `const ciKey = new devin.ApiKey("ci", { serviceUserId: ci.serviceUserId, rotateAfterSeconds: 30 * 86400 });
export const ciToken = ciKey.key; // secret`,
  // The resource id is the first key's, which a rotation revokes: no output stays equal to it.
  importId:
    "an API key id of the service user (`api-key-…`, see `getApiKeys`), as `adoptId`; `pulumi import` cannot read a key by its id alone",
  naturalKey: { of: ["serviceUserId", "name"], describe: ([su, n]) => `the API key name '${n}' of ${su}` },
  // A key lives under its service user, which the check reads.
  permissions: SERVICE_USER_PERMISSIONS,
  fields: [
    {
      name: "apiKeyId",
      wire: "api_key_id",
      type: "string",
      description: "The current key's id. The resource id stays the id of the first key this resource issued.",
    },
    {
      // In the answer that issues the key only.
      name: "key",
      wire: "token",
      type: "string",
      secret: true,
      description: "The `cog_` token. Secret: encrypted in the state, never shown in plaintext.",
    },
    {
      // The path names it: a key is listed under its service user.
      name: "serviceUserId",
      type: "string",
      input: "required",
      replaces: true,
      description: "The service user (a ServiceUser's `serviceUserId`, or the id of one that exists). Changing it replaces the key.",
    },
    {
      // The request that issues a key names it `name`.
      name: "name",
      wire: "api_key_name",
      type: "string",
      input: "optional",
      replaces: true,
      defaultsToResourceName: true,
      description:
        "The key's name, unique among the service user's active keys (default: the resource name). Changing it replaces the key: the new one is issued before the old one is revoked.",
    },
    {
      name: "expiresInSeconds",
      type: "integer",
      input: "optional",
      output: false,
      description: "Each key's lifetime in seconds (60 or more); omit it for keys that do not expire. Changing it rotates the key.",
    },
    {
      name: "rotateAfterSeconds",
      type: "integer",
      input: "optional",
      output: false,
      description:
        "The age in seconds at which `pulumi up` rotates the key (60 or more; 30 days is 2592000), measured in the API's clock. Run `pulumi up` on a schedule (a nightly CI job) to keep keys fresh: `pulumi preview` shows the rotation that is due, and why. Must be less than `expiresInSeconds` when both are set.",
    },
    {
      name: "rotationTriggers",
      type: "json",
      input: "optional",
      output: false,
      description: "Any values; when they change, `pulumi up` rotates the key (like `keepers` in other providers).",
    },
    adoptIdField(
      "Take over an existing key of the service user (`api-key-…`, see `getApiKeys`), such as the one a ServiceUser was provisioned with. Its token cannot be read back, so the stack issues its own key and then revokes the adopted one.",
    ),
    {
      name: "createdAt",
      wire: "created_at",
      type: "integer",
      description: "When the current key was created, unix seconds (the API's clock).",
    },
    {
      name: "expiresAt",
      wire: "expires_at",
      type: "integer",
      nullable: true,
      description: "When the current key expires, unix seconds, or null.",
    },
    {
      name: "rotatedAt",
      type: "integer",
      nullable: true,
      description: "When the current key replaced an earlier one, unix seconds; null for the first key.",
    },
    {
      name: "rotation",
      type: "string",
      description: 'When the current key was issued, and why ("2026-12-28T09:00:00Z: rotated: rotationTriggers changed").',
    },
  ],
  leftOut: {
    is_active: "An inactive key is gone: the resource drops it from the state, and the next `pulumi up` issues a new one.",
    revoked_at: "A revoked key is gone: the resource drops it from the state, and the next `pulumi up` issues a new one.",
    last_used_at: "When the key was last used: usage, not something a program declares.",
  },
};
