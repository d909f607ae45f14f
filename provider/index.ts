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
export { EnterpriseUserRole, type EnterpriseUserRoleArgs } from "./enterpriseUserRole";
export { OrgUserRole, type OrgUserRoleArgs } from "./orgUserRole";
export { IdpGroup, type IdpGroupArgs } from "./idpGroup";
export { EnterpriseIdpGroupRole, type EnterpriseIdpGroupRoleArgs } from "./enterpriseIdpGroupRole";
export { OrgIdpGroupRole, type OrgIdpGroupRoleArgs } from "./orgIdpGroupRole";
export { EnterpriseServiceUserRole, type EnterpriseServiceUserRoleArgs } from "./enterpriseServiceUserRole";
export { OrgServiceUserRole, type OrgServiceUserRoleArgs } from "./orgServiceUserRole";
export { IpAccessList, type IpAccessListArgs } from "./ipAccessList";
export { OrgGroupLimits, type OrgGroupLimitsArgs, type OrgGroupArgs } from "./orgGroupLimits";
export { OrgTags, type OrgTagsArgs } from "./orgTags";
export { Playbook, type PlaybookArgs } from "./playbook";
export { EnterprisePlaybook, type EnterprisePlaybookArgs } from "./enterprisePlaybook";
export { KnowledgeNote, type KnowledgeNoteArgs } from "./knowledgeNote";
export { EnterpriseKnowledgeNote, type EnterpriseKnowledgeNoteArgs } from "./enterpriseKnowledgeNote";
export { Schedule, type ScheduleArgs } from "./schedule";
export { Secret, type SecretArgs } from "./secret";
export { GitPermission, type GitPermissionArgs } from "./gitPermission";
export { ApiKey, type ApiKeyArgs } from "./apiKey";
export * from "./lookups";
