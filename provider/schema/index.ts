import { apiKey } from "./apiKey";
import { enterpriseKnowledgeNote } from "./enterpriseKnowledgeNote";
import { enterprisePlaybook } from "./enterprisePlaybook";
import { gitPermission } from "./gitPermission";
import { idpGroup } from "./idpGroup";
import { ipAccessList } from "./ipAccessList";
import { knowledgeNote } from "./knowledgeNote";
import { lookups } from "./lookups";
import { organization } from "./organization";
import { orgGroupLimits } from "./orgGroupLimits";
import { orgTags } from "./orgTags";
import { playbook } from "./playbook";
import { schedule } from "./schedule";
import { secret } from "./secret";
import {
  enterpriseIdpGroupRole,
  enterpriseServiceUserRole,
  enterpriseUserRole,
  orgIdpGroupRole,
  orgServiceUserRole,
  orgUserRole,
} from "./roleAssignment";
import { serviceUser } from "./serviceUser";
import type { LookupSchema, ResourceSchema } from "./types";

/**
 * Every resource type's table, by kind. Adding a resource type adds its table file and one line here; the `Kind`
 * union, the lifecycle table (`impl/index.ts`), the review, the risks and the policy pack follow from this list.
 */
export const RESOURCES = {
  Organization: organization,
  ServiceUser: serviceUser,
  EnterpriseUserRole: enterpriseUserRole,
  OrgUserRole: orgUserRole,
  IdpGroup: idpGroup,
  EnterpriseIdpGroupRole: enterpriseIdpGroupRole,
  OrgIdpGroupRole: orgIdpGroupRole,
  EnterpriseServiceUserRole: enterpriseServiceUserRole,
  OrgServiceUserRole: orgServiceUserRole,
  IpAccessList: ipAccessList,
  OrgGroupLimits: orgGroupLimits,
  OrgTags: orgTags,
  Playbook: playbook,
  EnterprisePlaybook: enterprisePlaybook,
  KnowledgeNote: knowledgeNote,
  EnterpriseKnowledgeNote: enterpriseKnowledgeNote,
  Schedule: schedule,
  Secret: secret,
  GitPermission: gitPermission,
  ApiKey: apiKey,
} as const satisfies Record<string, ResourceSchema>;

export type Kind = keyof typeof RESOURCES;

export const KINDS = Object.keys(RESOURCES) as Kind[];

export function isKind(value: string): value is Kind {
  return Object.prototype.hasOwnProperty.call(RESOURCES, value);
}

/**
 * The kind a Pulumi type token names, from either front end: `pulumi-nodejs:dynamic/devin:<Kind>` (the dynamic
 * resources) or `devin:index:<Kind>` (the provider plugin); undefined for a type that is not pulumi-devin's.
 */
export function kindOfType(type: string): Kind | undefined {
  const kind = /^(?:pulumi-nodejs:dynamic\/devin|devin:index):(\w+)$/.exec(type)?.[1];
  return kind !== undefined && isKind(kind) ? kind : undefined;
}

/** Every lookup's table, by function name. */
export const LOOKUPS: Readonly<Record<string, LookupSchema>> = lookups;

export { OBJECT_TYPES } from "./objectTypes";
export type { FieldSpec, FieldType, LookupSchema, NaturalKey, ObjectTypeSchema, ResourceSchema } from "./types";
