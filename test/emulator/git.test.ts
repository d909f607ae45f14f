import { describe, expect, it } from "vitest";
import { expectEach, useTestEmulator, type Page, type Problem, type SeededGitConnection } from "../support/emulator";

const emu = useTestEmulator();

type Connection = Omit<SeededGitConnection, "repositories">;
type Repository = SeededGitConnection["repositories"][number];
type Permission = {
  git_permission_id: string;
  git_connection_id: string;
  repo_path: string | null;
  group_prefix: string | null;
  prefix_path: string | null;
  read_only: boolean;
  created_at: number | null;
};

const CONNECTIONS = "/v3/enterprise/git-providers/connections";
const permissions = (orgId: string) => `/v3/enterprise/organizations/${orgId}/git-providers/permissions`;
const newOrg = (name?: string) => emu().newOrg(name);
const hex32 = /^[0-9a-f]{32}$/;

describe("git connections and repositories", () => {
  it("starts with one seeded connection and its two repositories", async () => {
    const list = await emu().call<Page<Connection>>("GET", CONNECTIONS);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      items: [
        {
          git_connection_id: expect.stringMatching(/^git-connection-[0-9a-f]{32}$/),
          git_provider_type: "github_app",
          name: "GitHub",
          host: "github.com",
          created_at: expect.any(Number),
        },
      ],
      end_cursor: null,
      has_next_page: false,
      total: 1,
    });
    const id = list.body.items[0].git_connection_id;
    const repos = await emu().call<Page<Repository>>("GET", `${CONNECTIONS}/${id}/repositories`);
    expect(repos.body.items).toEqual([
      {
        provider_repository_id: expect.stringMatching(/^\d{9}$/),
        git_connection_id: id,
        git_connection_host: "github.com",
        repo_name: "web-app",
        repo_path: "example-org/web-app",
        repo_description: "The example web application",
        last_updated_at: null,
        repo_language: "TypeScript",
      },
      expect.objectContaining({ repo_name: "infrastructure", repo_path: "example-org/infrastructure" }),
    ]);
    // The same after a reset, with a new id.
    await emu().reset();
    const again = await emu().call<Page<Connection>>("GET", "/v3beta1/enterprise/git-providers/connections");
    expect(again.body.items.map((c) => c.name)).toEqual(["GitHub"]);
  });

  it("seeds connections with repositories, filters them by name and pages them by at most 100", async () => {
    const { gitConnections } = await emu().seed({
      gitConnections: [
        {
          gitProviderType: "gitlab_token",
          host: "gitlab.example.com",
          repositories: [
            { repoPath: "platform/API-Gateway", providerRepositoryId: "42", lastUpdatedAt: 1_700_000_000, repoLanguage: "Go" },
            { repoPath: "platform/billing", repoName: "Billing Service" },
            { repoPath: "web/gateway-ui" },
          ],
        },
      ],
    });
    const seeded = (gitConnections as SeededGitConnection[])[0];
    expect(seeded).toMatchObject({ git_provider_type: "gitlab_token", name: null, host: "gitlab.example.com" });
    expect(seeded.repositories[0]).toEqual({
      provider_repository_id: "42",
      git_connection_id: seeded.git_connection_id,
      git_connection_host: "gitlab.example.com",
      repo_name: "API-Gateway",
      repo_path: "platform/API-Gateway",
      repo_description: null,
      last_updated_at: 1_700_000_000,
      repo_language: "Go",
    });
    expect(seeded.repositories[1].repo_name).toBe("Billing Service");

    const list = await emu().call<Page<Connection>>("GET", CONNECTIONS);
    expect(list.body.items.map((c) => c.host)).toEqual(["github.com", "gitlab.example.com"]);
    const repos = `${CONNECTIONS}/${seeded.git_connection_id}/repositories`;
    const filtered = await emu().call<Page<Repository>>("GET", `${repos}?filter_name=GATEWAY`);
    expect(filtered.body.items.map((r) => r.repo_path)).toEqual(["platform/API-Gateway", "web/gateway-ui"]);
    const firstPage = await emu().call<Page<Repository>>("GET", `${repos}?first=2`);
    expect(firstPage.body).toMatchObject({ has_next_page: true, total: 3 });
    const secondPage = await emu().call<Page<Repository>>("GET", `${repos}?first=2&after=${firstPage.body.end_cursor}`);
    expect(secondPage.body.items.map((r) => r.repo_path)).toEqual(["web/gateway-ui"]);

    expect((await emu().call<Problem>("GET", `${repos}?first=101`)).body.errors?.[0].loc).toEqual(["query", "first"]);
    expect((await emu().call("GET", `${CONNECTIONS}?first=200`)).status).toBe(200);
    expect((await emu().call("GET", `${CONNECTIONS}/git-connection-missing/repositories`)).status).toBe(404);
  });

  it("checks a seed body before creating anything (422 naming the field)", async () => {
    const bad = await emu().call<Problem>(
      "POST",
      "/_emulator/seed",
      { gitConnections: [{ gitProviderType: "github_app", host: "h", repositories: [{ repoPath: "a/b" }, { repoPath: "a/b" }] }] },
      null,
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.[0].loc).toEqual(["body", "gitConnections", 0, "repositories", 1, "repoPath"]);
    const wrongType = await emu().call<Problem>(
      "POST",
      "/_emulator/seed",
      { gitConnections: [{ gitProviderType: "svn", host: "h" }] },
      null,
    );
    expect(wrongType.body.errors?.[0].loc.join(".")).toBe("body.gitConnections.0.gitProviderType");
    expect((await emu().call<Page<Connection>>("GET", CONNECTIONS)).body.total).toBe(1);
  });
});

describe("org git permissions", () => {
  it("adds in bulk (bare array), lists, changes read_only in place, deletes one; there is no GET by id", async () => {
    const orgId = await newOrg();
    const connectionId = await emu().defaultGitConnectionId();
    const added = await emu().call<Permission[]>("POST", permissions(orgId), {
      permissions: [
        { git_connection_id: connectionId, repo_path: "example-org/web-app" },
        { git_connection_id: connectionId, group_prefix: "example-org/frontend/", read_only: true },
        { git_connection_id: connectionId, prefix_path: "github.com/example-org", repo_path: null },
      ],
    });
    expect(added.status).toBe(200);
    expect(added.body).toEqual([
      {
        git_permission_id: expect.stringMatching(/^git-permission-[0-9a-f]{32}$/),
        git_connection_id: connectionId,
        repo_path: "example-org/web-app",
        group_prefix: null,
        prefix_path: null,
        read_only: false,
        created_at: expect.any(Number),
      },
      // The trailing "/" of a group prefix is not shown.
      expect.objectContaining({ group_prefix: "example-org/frontend", repo_path: null, prefix_path: null, read_only: true }),
      expect.objectContaining({ prefix_path: "github.com/example-org", repo_path: null, group_prefix: null, read_only: false }),
    ]);
    const [repo, group] = added.body;
    expect(repo.git_permission_id.slice("git-permission-".length)).toMatch(hex32);

    const list = await emu().call<Page<Permission>>("GET", permissions(orgId));
    expect(list.body).toEqual({ items: added.body, end_cursor: null, has_next_page: false, total: 3 });
    expect((await emu().call<Page<Permission>>("GET", `${permissions(orgId)}?first=1`)).body.has_next_page).toBe(true);

    const noGet = await emu().call<Problem>("GET", `${permissions(orgId)}/${repo.git_permission_id}`);
    expect(noGet.status).toBe(404);

    const patched = await emu().call<Permission>("PATCH", `${permissions(orgId)}/${group.git_permission_id}`, { read_only: false });
    expect(patched.body).toEqual({ ...group, read_only: false });
    // Only read_only changes; null and other fields leave the permission as it is.
    const untouched = await emu().call<Permission>("PATCH", `${permissions(orgId)}/${group.git_permission_id}`, {
      read_only: null,
      group_prefix: "other",
    });
    expect(untouched.body).toEqual({ ...group, read_only: false });

    const removed = await emu().call<Permission>("DELETE", `${permissions(orgId)}/${repo.git_permission_id}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual(repo);
    expect((await emu().call("DELETE", `${permissions(orgId)}/${repo.git_permission_id}`)).status).toBe(404);
    expect((await emu().call("PATCH", `${permissions(orgId)}/${repo.git_permission_id}`, { read_only: true })).status).toBe(404);
    expect((await emu().call<Page<Permission>>("GET", permissions(orgId))).body.total).toBe(2);

    const actions = (await emu().auditLog()).filter((l) => l.action.includes("git_permission"));
    expect(actions.map((l) => [l.action, l.org_id, l.data.git_permission_id])).toEqual([
      ["create_git_permission", orgId, repo.git_permission_id],
      ["create_git_permission", orgId, group.git_permission_id],
      ["create_git_permission", orgId, added.body[2].git_permission_id],
      ["update_git_permission", orgId, group.git_permission_id],
      ["update_git_permission", orgId, group.git_permission_id],
      ["delete_git_permission", orgId, repo.git_permission_id],
    ]);
    expect(actions[1].data).toMatchObject({ group_prefix: "example-org/frontend", read_only: true });
  });

  it("replaces all with PUT (new ids) and clears with DELETE, answering the removed rows", async () => {
    const orgId = await newOrg();
    const other = await newOrg("other");
    const connectionId = await emu().defaultGitConnectionId();
    const first = await emu().call<Permission[]>("POST", permissions(orgId), {
      permissions: [{ git_connection_id: connectionId, repo_path: "a/b" }],
    });
    await emu().call("POST", permissions(other), { permissions: [{ git_connection_id: connectionId, repo_path: "a/b" }] });

    const replaced = await emu().call<Permission[]>("PUT", permissions(orgId), {
      permissions: [
        { git_connection_id: connectionId, repo_path: "a/b" },
        { git_connection_id: connectionId, group_prefix: "team" },
      ],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.map((p) => p.repo_path ?? p.group_prefix)).toEqual(["a/b", "team"]);
    expect(replaced.body[0].git_permission_id).not.toBe(first.body[0].git_permission_id);
    expect((await emu().call<Page<Permission>>("GET", permissions(orgId))).body.items).toEqual(replaced.body);

    const cleared = await emu().call<Permission[]>("DELETE", permissions(orgId));
    expect(cleared.body).toEqual(replaced.body);
    expect((await emu().call<Page<Permission>>("GET", permissions(orgId))).body.items).toEqual([]);
    expect((await emu().call<Permission[]>("DELETE", permissions(orgId))).body).toEqual([]);
    // Another org's permissions are untouched.
    expect((await emu().call<Page<Permission>>("GET", permissions(other))).body.total).toBe(1);
    expect((await emu().call<Permission[]>("PUT", permissions(other), { permissions: [] })).body).toEqual([]);
    expect((await emu().call<Page<Permission>>("GET", permissions(other))).body.total).toBe(0);
  });

  it("refuses a grant that already exists or is given twice (409), however the group prefix is written", async () => {
    const orgId = await newOrg();
    const connectionId = await emu().defaultGitConnectionId();
    await emu().call("POST", permissions(orgId), { permissions: [{ git_connection_id: connectionId, group_prefix: "team/a" }] });
    const again = await emu().call<Problem>("POST", permissions(orgId), {
      permissions: [{ git_connection_id: connectionId, group_prefix: "team/a/", read_only: true }],
    });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain("PATCH");
    const twice = await emu().call<Problem>("PUT", permissions(orgId), {
      permissions: [
        { git_connection_id: connectionId, repo_path: "x/y" },
        { git_connection_id: connectionId, repo_path: "x/y" },
      ],
    });
    expect(twice.status).toBe(409);
    // Nothing changed.
    expect((await emu().call<Page<Permission>>("GET", permissions(orgId))).body.items.map((p) => p.group_prefix)).toEqual(["team/a"]);
  });

  it.each([
    ["no permissions", "body.permissions", {}],
    ["no connection", "body.permissions.0.git_connection_id", { permissions: [{ repo_path: "a/b" }] }],
    ["no path field", "body.permissions.0", { permissions: [{ git_connection_id: "CONN" }] }],
    [
      "two path fields",
      "body.permissions.0",
      { permissions: [{ git_connection_id: "CONN", repo_path: "a/b", prefix_path: "github.com/a" }] },
    ],
    [
      "three null path fields",
      "body.permissions.0",
      { permissions: [{ git_connection_id: "CONN", repo_path: null, group_prefix: null, prefix_path: null }] },
    ],
    [
      "an unknown connection",
      "body.permissions.0.git_connection_id",
      { permissions: [{ git_connection_id: "git-connection-missing", repo_path: "a/b" }] },
    ],
    ["an empty path", "body.permissions.0.repo_path", { permissions: [{ git_connection_id: "CONN", repo_path: "" }] }],
    [
      "a string read_only",
      "body.permissions.0.read_only",
      { permissions: [{ git_connection_id: "CONN", repo_path: "a/b", read_only: "yes" }] },
    ],
    [
      "201 permissions",
      "body.permissions",
      { permissions: Array.from({ length: 201 }, () => ({ git_connection_id: "CONN", repo_path: "a/b" })) },
    ],
  ])("rejects %s with a 422 on %s", async (_what, field, body) => {
    const orgId = await newOrg();
    const connectionId = await emu().defaultGitConnectionId();
    const res = await emu().call<Problem>("POST", permissions(orgId), JSON.parse(JSON.stringify(body).replaceAll("CONN", connectionId)));
    expect(res.status).toBe(422);
    expect(res.body.errors?.map((e) => e.loc.join("."))).toContain(field);
    expect((await emu().call<Page<Permission>>("GET", permissions(orgId))).body.total).toBe(0);
  });

  it("answers 404 for an unknown org and for every call on a deleted org's permissions", async () => {
    const orgId = await newOrg();
    const connectionId = await emu().defaultGitConnectionId();
    const [kept] = (
      await emu().call<Permission[]>("POST", permissions(orgId), { permissions: [{ git_connection_id: connectionId, repo_path: "a/b" }] })
    ).body;
    await emu().call("DELETE", `/v3/enterprise/organizations/${orgId}`);
    const calls = [
      ["GET", permissions(orgId)],
      ["POST", permissions(orgId), { permissions: [{ git_connection_id: connectionId, repo_path: "c/d" }] }],
      ["PUT", permissions(orgId), { permissions: [] }],
      ["DELETE", permissions(orgId)],
      ["PATCH", `${permissions(orgId)}/${kept.git_permission_id}`, { read_only: true }],
      ["DELETE", `${permissions(orgId)}/${kept.git_permission_id}`],
      ["GET", permissions("org-missing")],
    ] as const;
    await expectEach(emu(), calls, emu().token, 404);
  });

  it("needs ManageGitIntegrations at the enterprise level (403 for an enterprise Member and an org Admin) and a token (401)", async () => {
    const orgId = await newOrg();
    const connectionId = await emu().defaultGitConnectionId();
    const calls = [
      ["GET", CONNECTIONS],
      ["GET", `${CONNECTIONS}/${connectionId}/repositories`],
      ["GET", permissions(orgId)],
      ["POST", permissions(orgId), { permissions: [] }],
      ["PUT", permissions(orgId), { permissions: [] }],
      ["DELETE", permissions(orgId)],
      ["PATCH", `${permissions(orgId)}/git-permission-x`, { read_only: true }],
      ["DELETE", `${permissions(orgId)}/git-permission-x`],
    ] as const;
    const member = await emu().provision("/v3beta1/enterprise/service-users", "account_member");
    await expectEach(emu(), calls, member.token, 403, "ManageGitIntegrations");
    const orgAdmin = await emu().provision(`/v3beta1/organizations/${orgId}/service-users`, "org_admin");
    await expectEach(emu(), calls, orgAdmin.token, 403, "ManageGitIntegrations");
    await expectEach(emu(), calls, null, 401);
  });
});
