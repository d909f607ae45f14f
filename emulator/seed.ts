import { randomInt } from "node:crypto";
import { roleOfType, roleProblem } from "./auth";
import { newId } from "./ids";
import { presentFolder, presentGitConnection, presentGitRepository, presentUserWithIdpRoles, roleRef } from "./presenters";
import { invalid, type FieldError } from "./problem";
import { folderPath, own, type GitConnectionRecord, type KnowledgeFolderRecord } from "./records";
import { emailSchema } from "./schemas";
import { createUser, idpAssignments, liveOrgOrNull, setAssignment, userByEmail, type Emulator, type UserRecord } from "./store";
import { GIT_PROVIDER_TYPES, type SeedGitConnection, type SeedIdpUser, type SeedKnowledgeFolder, type SeedUser } from "./types";

/**
 * One field of `POST /_emulator/seed`: the schema of one item, a check that throws before anything changes, and what
 * the items create. A new kind of seed data is one more entry in {@link SEEDERS}.
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

const nullableText = { type: ["string", "null"], maxLength: 1000 } as const;

const gitConnections = seeder<SeedGitConnection, GitConnectionRecord>({
  item: {
    type: "object",
    required: ["gitProviderType", "host"],
    properties: {
      gitProviderType: { type: "string", enum: [...GIT_PROVIDER_TYPES] },
      name: seedName,
      host: { type: "string", minLength: 1, maxLength: 256 },
      repositories: {
        type: "array",
        items: {
          type: "object",
          required: ["repoPath"],
          properties: {
            repoPath: { type: "string", minLength: 1, maxLength: 1000 },
            repoName: { type: "string", minLength: 1, maxLength: 256 },
            providerRepositoryId: { type: "string", minLength: 1, maxLength: 256 },
            repoDescription: nullableText,
            repoLanguage: nullableText,
            lastUpdatedAt: { type: ["integer", "null"], minimum: 0 },
          },
        },
      },
    },
  },
  check: (_emu, items, loc) =>
    items.flatMap((c, i) =>
      (c.repositories ?? []).flatMap((r, j, all) =>
        all.findIndex((other) => other.repoPath === r.repoPath) === j
          ? []
          : [{ loc: [...loc, i, "repositories", j, "repoPath"], msg: `repository '${r.repoPath}' is listed twice`, type: "value_error" }],
      ),
    ),
  apply: (emu, items) =>
    items.map((c) => {
      const connection: GitConnectionRecord = {
        git_connection_id: newId("git-connection"),
        git_provider_type: c.gitProviderType,
        name: c.name ?? null,
        host: c.host,
        created_at: emu.clock.now(),
        repositories: (c.repositories ?? []).map((r) => ({
          provider_repository_id: r.providerRepositoryId ?? String(randomInt(100_000_000, 1_000_000_000)),
          repo_name: r.repoName ?? r.repoPath.split("/").filter(Boolean).pop() ?? r.repoPath,
          repo_path: r.repoPath,
          repo_description: r.repoDescription ?? null,
          last_updated_at: r.lastUpdatedAt ?? null,
          repo_language: r.repoLanguage ?? null,
          seq: emu.store.nextSeq(),
        })),
        seq: emu.store.nextSeq(),
      };
      emu.store.state.gitConnections[connection.git_connection_id] = connection;
      return connection;
    }),
  present: (_emu, c) => ({ ...presentGitConnection(c), repositories: c.repositories.map((r) => presentGitRepository(c, r)) }),
});

const knowledgeFolders = seeder<SeedKnowledgeFolder, KnowledgeFolderRecord>({
  item: {
    type: "object",
    required: ["name"],
    properties: {
      orgId: { type: ["string", "null"] },
      // A folder's path joins the names with "/", so a name cannot hold one.
      name: { type: "string", minLength: 1, maxLength: 256, pattern: "^[^/]+$" },
      parentId: { type: ["string", "null"] },
    },
  },
  check: (emu, items, loc) => {
    const folders = emu.store.state.knowledgeFolders;
    const siblings = new Set(Object.values(folders).map((f) => `${f.org_id}/${f.parent_folder_id}/${f.name}`));
    return items.flatMap((f, i): FieldError[] => {
      const orgId = f.orgId ?? null;
      if (orgId !== null && !liveOrgOrNull(emu, orgId)) {
        return [{ loc: [...loc, i, "orgId"], msg: `organization ${orgId} not found`, type: "value_error" }];
      }
      const parentId = f.parentId ?? null;
      if (parentId !== null && own(folders, parentId)?.org_id !== orgId) {
        return [{ loc: [...loc, i, "parentId"], msg: `folder ${parentId} not found in the same scope`, type: "value_error" }];
      }
      const key = `${orgId}/${parentId}/${f.name}`;
      if (siblings.has(key)) return [{ loc: [...loc, i, "name"], msg: `a folder '${f.name}' already exists there`, type: "value_error" }];
      siblings.add(key);
      return [];
    });
  },
  apply: (emu, items) =>
    items.map((f) => {
      const folder: KnowledgeFolderRecord = {
        folder_id: newId("folder"),
        org_id: f.orgId ?? null,
        name: f.name,
        parent_folder_id: f.parentId ?? null,
        seq: emu.store.nextSeq(),
      };
      emu.store.state.knowledgeFolders[folder.folder_id] = folder;
      return folder;
    }),
  present: (emu, folder) => presentFolder(folder, folderPath(emu.store.state, folder.folder_id), 0),
});

/** The fields of the seed body, applied in this order. */
export const SEEDERS = { users, idpUsers, gitConnections, knowledgeFolders } satisfies Record<string, Seeder<unknown, unknown>>;

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
