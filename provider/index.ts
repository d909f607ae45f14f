/**
 * pulumi-devin: a Devin enterprise as code.
 *
 * Credentials come from the stack config `devin:token` (set it with `pulumi config set --secret devin:token cog_...`)
 * or the `DEVIN_TOKEN` / `DEVIN_SERVICE_USER_TOKEN` environment variables; the API base from `devin:apiUrl` or
 * `DEVIN_API_URL` (default https://api.devin.ai). Pulumi records the stack config, the token encrypted, as the default
 * provider's inputs in the state; `refresh` and `destroy` use that record unless run with `--run-program`. The token
 * is never in any resource's inputs or outputs, in the serialized provider, in logs or in error messages.
 */
export { Organization, type OrganizationArgs } from "./organization";
export { ServiceUser, type ServiceUserArgs } from "./serviceUser";
export {
  getOrganization,
  getOrganizations,
  getRoles,
  getServiceUser,
  type LookupOptions,
  type OrganizationInfo,
  type RoleInfo,
  type ServiceUserInfo,
} from "./lookups";
