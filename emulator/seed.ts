import { roleOfType, roleProblem } from "./auth";
import { presentUserWithIdpRoles, roleRef } from "./presenters";
import { invalid, type FieldError } from "./problem";
import { emailSchema } from "./schemas";
import { createUser, idpAssignments, liveOrgOrNull, setAssignment, userByEmail, type Emulator, type UserRecord } from "./store";

/** A direct member: its own enterprise role (default Member) and org roles. */
export interface SeedUser {
  email: string;
  name?: string | null;
  enterpriseRoleId?: string;
  orgRoles?: { orgId: string; roleId: string }[];
}

/** A member through IdP groups: its roles come from the groups' mappings, whenever those are made. */
export interface SeedIdpUser {
  email: string;
  name?: string | null;
  groups: string[];
}

/**
 * One field of `POST /_emulator/seed`: the schema of one item, a check that throws before anything changes, and what
 * the items create. A new kind of seed data (git connections, say) is one more entry in {@link SEEDERS}.
 */
interface Seeder<T, R> {
  item: object;
  /** The problems of `items`; `loc` is the field's location, e.g. `["body", "users"]`. */
  check(emu: Emulator, items: T[], loc: (string | number)[]): FieldError[];
  apply(emu: Emulator, items: T[]): R[];
  present(emu: Emulator, record: R): unknown;
}

const seeder = <T, R>(s: Seeder<T, R>) => s as unknown as Seeder<unknown, unknown>;

const seedName = { type: ["string", "null"], maxLength: 256 } as const;
const presentUser = (emu: Emulator, user: UserRecord) => presentUserWithIdpRoles(user, idpAssignments(emu, user));

/** Finds the user with this email (any case) or creates it, and sets the name when one is given. */
function upsertUser(emu: Emulator, email: string, name: string | null | undefined): UserRecord {
  const user = userByEmail(emu, email) ?? createUser(emu, email, null);
  if (name !== undefined) user.name = name;
  return user;
}

function roleCheck(roleId: string, type: "enterprise" | "org", loc: (string | number)[]): FieldError[] {
  const msg = roleProblem(roleId, type);
  return msg === null ? [] : [{ loc, msg, type: "value_error" }];
}

const users = seeder<SeedUser, UserRecord>({
  item: {
    type: "object",
    required: ["email"],
    properties: {
      email: emailSchema,
      name: seedName,
      enterpriseRoleId: { type: "string", minLength: 1 },
      orgRoles: {
        type: "array",
        items: {
          type: "object",
          required: ["orgId", "roleId"],
          properties: { orgId: { type: "string" }, roleId: { type: "string" } },
        },
      },
    },
  },
  check: (emu, items, loc) =>
    items.flatMap((u, i) => [
      ...(u.enterpriseRoleId === undefined ? [] : roleCheck(u.enterpriseRoleId, "enterprise", [...loc, i, "enterpriseRoleId"])),
      ...(u.orgRoles ?? []).flatMap((r, j) => [
        ...(liveOrgOrNull(emu, r.orgId)
          ? []
          : [{ loc: [...loc, i, "orgRoles", j, "orgId"], msg: `organization ${r.orgId} not found`, type: "value_error" }]),
        ...roleCheck(r.roleId, "org", [...loc, i, "orgRoles", j, "roleId"]),
      ]),
    ]),
  apply: (emu, items) =>
    items.map((u) => {
      const user = upsertUser(emu, u.email, u.name);
      setAssignment(user, null, roleRef(roleOfType(u.enterpriseRoleId ?? "account_member", "enterprise", [])));
      for (const r of u.orgRoles ?? []) setAssignment(user, r.orgId, roleRef(roleOfType(r.roleId, "org", [])));
      return user;
    }),
  present: presentUser,
});

const idpUsers = seeder<SeedIdpUser, UserRecord>({
  item: {
    type: "object",
    required: ["email", "groups"],
    properties: { email: emailSchema, name: seedName, groups: { type: "array", items: { type: "string", minLength: 1, maxLength: 256 } } },
  },
  check: () => [],
  apply: (emu, items) =>
    items.map((u) => {
      const user = upsertUser(emu, u.email, u.name);
      user.idp_groups = [...new Set([...user.idp_groups, ...u.groups])];
      return user;
    }),
  present: presentUser,
});

/** The fields of the seed body, applied in this order. */
export const SEEDERS: Record<string, Seeder<unknown, unknown>> = { users, idpUsers };

export const seedBodySchema = {
  type: "object",
  properties: Object.fromEntries(Object.entries(SEEDERS).map(([field, s]) => [field, { type: "array", items: s.item }])),
};

/**
 * Applies a seed body all or nothing: every field is checked before any is applied. Answers, per field given, the
 * objects as the API would show them (users as `UserWithIdpRoles`).
 */
export function seed(emu: Emulator, body: Record<string, unknown>): Record<string, unknown[]> {
  const unknown = Object.keys(body).filter((field) => !Object.hasOwn(SEEDERS, field));
  const given = Object.entries(SEEDERS).filter(([field]) => body[field] !== undefined);
  const problems = [
    ...unknown.map((field) => ({
      loc: ["body", field],
      msg: `unknown seed field; known: ${Object.keys(SEEDERS).join(", ")}`,
      type: "extra_forbidden",
    })),
    ...given.flatMap(([field, s]) => s.check(emu, body[field] as unknown[], ["body", field])),
  ];
  if (problems.length > 0) throw invalid(problems);
  const applied = given.map(([field, s]) => [field, s, s.apply(emu, body[field] as unknown[])] as const);
  // Presented after everything is applied, so a user seeded both directly and through IdP groups shows both.
  return Object.fromEntries(applied.map(([field, s, records]) => [field, records.map((r) => s.present(emu, r))]));
}
