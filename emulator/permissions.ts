/**
 * Roles and what they may do. The API documents the permissions (docs/api-notes.md section 9); which built-in role holds which is not
 * documented, so this table is the emulator's choice (written out in emulator/README.md).
 */

export const ENTERPRISE_PERMISSIONS = [
  "ReadAccountMeta",
  "ManageOrganizations",
  "ManageAccountMembership",
  "ViewAccountMembership",
  "ManageAccountServiceUsers",
  "ManageBilling",
  "ViewAccountConsumption",
  "ManageEnterpriseSettings",
  "ManageGitIntegrations",
  "ManageAccountPlaybooks",
  "ManageAccountKnowledge",
] as const;

export const ORG_PERMISSIONS = [
  "ManageOrgServiceUsers",
  "ViewOrgConsumption",
  "ViewOrgMembership",
  "UseDevinSessions",
  "ViewOrgSessions",
  "ManageOrgSessions",
  "ManageOrgSchedules",
  "ManageOrgSecrets",
  "ImpersonateOrgSessions",
] as const;

/**
 * Enterprise permissions the docs also grant "for the specified organization": an org role may hold them in its own
 * org (so an org-scoped service user can manage its org's playbooks and notes), while the enterprise endpoints still
 * need them at the enterprise level.
 */
export const ORG_GRANTABLE_ENTERPRISE_PERMISSIONS = ["ManageAccountPlaybooks", "ManageAccountKnowledge"] as const;

export type EnterprisePermission = (typeof ENTERPRISE_PERMISSIONS)[number];
export type OrgPermission = (typeof ORG_PERMISSIONS)[number];
export type Permission = EnterprisePermission | OrgPermission;

export type RoleType = "enterprise" | "org";

export interface Role {
  role_id: string;
  role_name: string;
  role_type: RoleType;
}

export interface RoleDefinition extends Role {
  permissions: readonly Permission[];
}

/** The four built-in roles, with the ids of the v2 example (`account_admin`, ...). */
export const BUILT_IN_ROLES: readonly RoleDefinition[] = [
  {
    role_id: "account_admin",
    role_name: "Admin",
    role_type: "enterprise",
    // An enterprise permission implies the matching org permission in every org, so an enterprise admin holds all.
    permissions: [...ENTERPRISE_PERMISSIONS, ...ORG_PERMISSIONS],
  },
  {
    role_id: "account_member",
    role_name: "Member",
    role_type: "enterprise",
    permissions: ["ReadAccountMeta", "ViewAccountMembership", "ViewAccountConsumption", "UseDevinSessions", "ViewOrgSessions"],
  },
  {
    role_id: "org_admin",
    role_name: "Admin",
    role_type: "org",
    // Running sessions as another user is kept to enterprise admins.
    permissions: [
      "ReadAccountMeta",
      ...ORG_PERMISSIONS.filter((p) => p !== "ImpersonateOrgSessions"),
      ...ORG_GRANTABLE_ENTERPRISE_PERMISSIONS,
    ],
  },
  {
    role_id: "org_member",
    role_name: "Member",
    role_type: "org",
    permissions: ["ReadAccountMeta", "UseDevinSessions", "ViewOrgSessions"],
  },
];

/** Provisioning can never grant this one (release notes 2026-01-14), whoever asks. */
export const NEVER_PROVISIONED: Permission = "ManageAccountServiceUsers";

export function findRole(roleId: string): RoleDefinition | undefined {
  return BUILT_IN_ROLES.find((r) => r.role_id === roleId);
}

export function isOrgPermission(p: Permission): p is OrgPermission {
  return (ORG_PERMISSIONS as readonly string[]).includes(p);
}

/** Whether an org role can hold `p` in its org: the org permissions and the org-grantable enterprise ones. */
function heldInOrg(p: Permission): boolean {
  return isOrgPermission(p) || (ORG_GRANTABLE_ENTERPRISE_PERMISSIONS as readonly string[]).includes(p);
}

export interface RoleAssignment {
  role: Role;
  org_id: string | null;
}

/**
 * What a principal with these role assignments may do. Enterprise roles hold their permissions everywhere; an org role
 * holds its permissions in its own org only, plus ReadAccountMeta (self), which every service user has.
 */
export function holds(assignments: readonly RoleAssignment[], permission: Permission, orgId: string | null): boolean {
  for (const a of assignments) {
    const def = findRole(a.role.role_id);
    if (!def || !def.permissions.includes(permission)) continue;
    if (a.org_id === null) return true;
    if (permission === "ReadAccountMeta") return true;
    if (heldInOrg(permission) && orgId !== null && a.org_id === orgId) return true;
  }
  return false;
}
