import { describe, expect, it } from "vitest";
import { useStack, writesSince, type Spec } from "../support/pulumi";

/**
 * What lives inside an org, through the real CLI: one stack holds a playbook and an enterprise playbook, a note and an
 * enterprise note, a schedule that runs the playbook, two secrets and a git permission, through create, a no-op second
 * up, updates in place and a replacement, changes made outside Pulumi that refresh sees, and destroy. The secrets scan
 * that ends every e2e test (test/support/pulumi.ts) checks the secrets' values too.
 */

const { emu, stack } = useStack();

const FROM_CONFIG = "npm_live_4f9b2c7d1e8a6b3f";
const FROM_CONFIG_ROTATED = "npm_live_rotated_77aa01bc";
const PLAIN = "plain-string-given-as-is-3c1d";

function contentSpec(gitConnectionId: string, changed = false): Spec {
  return {
    orgs: [{ key: "eng", name: "Engineering" }],
    serviceUsers: [],
    resources: [
      {
        key: "upgrades",
        type: "Playbook",
        args: {
          orgId: "$eng.orgId",
          title: "Dependency upgrades",
          body: changed ? "# Upgrades\n\n1. Bump.\n2. Test.\n3. Open a PR.\n" : "# Upgrades\n\n1. Bump.\n2. Open a PR.\n",
          macro: "!upgrade",
        },
      },
      { key: "release", type: "EnterprisePlaybook", args: { title: "Release checklist", body: "Tag, build, announce." } },
      {
        key: "deploys",
        type: "KnowledgeNote",
        args: {
          orgId: "$eng.orgId",
          name: "How we deploy",
          body: "Tuesdays, through the pipeline.",
          trigger: changed ? "When deploying or rolling back" : "When deploying",
          pinnedRepo: "example-org/web-app",
        },
      },
      {
        key: "style",
        type: "EnterpriseKnowledgeNote",
        args: { name: "Code style", body: "Prettier, width 140.", trigger: "When writing code" },
      },
      {
        key: "weekly",
        type: "Schedule",
        args: {
          orgId: "$eng.orgId",
          name: "Weekly upgrades",
          prompt: "Run the upgrades playbook.",
          frequency: changed ? "0 10 * * 1" : "0 9 * * 1",
          playbookId: "$upgrades.playbookId",
        },
      },
      { key: "npm", type: "Secret", args: { orgId: "$eng.orgId", key: "NPM_TOKEN", value: "$config:npmToken" } },
      {
        key: "plain",
        type: "Secret",
        args: { orgId: "$eng.orgId", key: "PLAIN", value: `$base64:${Buffer.from(PLAIN).toString("base64")}`, note: "a plain string" },
      },
      {
        key: "web",
        type: "GitPermission",
        args: { orgId: "$eng.orgId", gitConnectionId, repoPath: "example-org/web-app", readOnly: changed },
      },
    ],
  };
}

describe("org content through the real CLI", () => {
  it("create, a no-op second up, updates in place and a replacement, drift seen by refresh, and destroy", async () => {
    const api = emu();
    const get = async <T>(path: string) => (await api.call<T>("GET", path)).body;
    const gitConnectionId = await api.defaultGitConnectionId();
    stack().sensitive.add(PLAIN);
    stack().sensitive.add(FROM_CONFIG_ROTATED);
    await stack().ok(["config", "set", "--secret", "e2e:npmToken"], FROM_CONFIG);
    await stack().setSpec(contentSpec(gitConnectionId));
    await stack().ok(["up", "--yes", "--skip-preview"]);
    const { orgIds, resourceIds: ids } = await stack().outputs();
    const eng = orgIds.eng;

    expect(await get(`/v3/organizations/${eng}/playbooks/${ids.upgrades}`)).toMatchObject({ macro: "!upgrade", access_type: "org" });
    expect(await get(`/v3/enterprise/playbooks/${ids.release}`)).toMatchObject({ access_type: "enterprise" });
    expect(await get(`/v3/organizations/${eng}/knowledge/notes/${ids.deploys}`)).toMatchObject({ pinned_repo: "example-org/web-app" });
    expect(await get(`/v3/enterprise/knowledge/notes/${ids.style}`)).toMatchObject({ access_type: "enterprise" });
    expect(await get(`/v3/organizations/${eng}/schedules/${ids.weekly}`)).toMatchObject({
      frequency: "0 9 * * 1",
      playbook: { playbook_id: ids.upgrades },
      enabled: true,
    });
    expect(await api.secretValueMatches(ids.npm, FROM_CONFIG)).toBe(true);
    expect(await api.secretValueMatches(ids.plain, PLAIN)).toBe(true);
    const permissions = await get<{ items: { git_permission_id: string; read_only: boolean }[] }>(
      `/v3/enterprise/organizations/${eng}/git-providers/permissions`,
    );
    expect(permissions.items).toEqual([expect.objectContaining({ git_permission_id: ids.web, read_only: false })]);

    // A second up changes nothing and writes nothing.
    let mark = (await api.requests()).length;
    await stack().ok(["preview", "--expect-no-changes"]);
    expect(await writesSince(api, mark)).toEqual([]);

    // In place: the playbook's text, the note's trigger, the schedule's time, the permission's access. The secret's new
    // value replaces it, deleting the old one first (its key stays), and the preview says so without showing the value.
    await stack().ok(["config", "set", "--secret", "e2e:npmToken"], FROM_CONFIG_ROTATED);
    await stack().setSpec(contentSpec(gitConnectionId, true));
    const steps = await stack().previewSteps();
    const ops = Object.fromEntries(steps.filter((s) => s.op !== "same").map((s) => [s.name, s.op]));
    expect(ops).toEqual({ upgrades: "update", deploys: "update", weekly: "update", web: "update", npm: "replace" });
    // The value is never shown, so the replacement names no changed field; the old secret goes first.
    const preview = (await stack().ok(["preview"])).stdout;
    expect(preview).toMatch(
      /-- pulumi-nodejs:dynamic\/devin:Secret npm delete original[\s\S]*\+\+ pulumi-nodejs:dynamic\/devin:Secret npm create replacement/,
    );
    expect(preview).toContain("[diff: ~body]");
    const diff = await stack().ok(["preview", "--diff"]);
    expect(diff.stdout).toMatch(/value\s*: \[secret\]/);
    expect(diff.stdout).toMatch(/\+\s*3\. Open a PR\./);
    mark = (await api.requests()).length;
    const update = await stack().ok(["up", "--yes", "--skip-preview"]);
    expect(update.stdout).toMatch(/4 updated/);
    expect(update.stdout).toMatch(/1 replaced/);
    const written = await writesSince(api, mark);
    expect(written).toEqual(
      expect.arrayContaining([
        `PUT /organizations/${eng}/playbooks/${ids.upgrades}`,
        `PUT /organizations/${eng}/knowledge/notes/${ids.deploys}`,
        `PATCH /organizations/${eng}/schedules/${ids.weekly}`,
        `PATCH /enterprise/organizations/${eng}/git-providers/permissions/${ids.web}`,
      ]),
    );
    expect(written.indexOf(`DELETE /organizations/${eng}/secrets/${ids.npm}`)).toBeLessThan(
      written.indexOf(`POST /organizations/${eng}/secrets`),
    );
    expect(written).toHaveLength(6);
    const rotated = (await stack().outputs()).resourceIds.npm;
    expect(rotated).not.toBe(ids.npm);
    expect(await api.secretValueMatches(rotated, FROM_CONFIG_ROTATED)).toBe(true);

    // Outside Pulumi: the playbook edited in the app, the schedule re-timed, the permission and a secret removed.
    await api.call("PUT", `/v3/organizations/${eng}/playbooks/${ids.upgrades}`, {
      title: "Dependency upgrades",
      body: "edited in the app",
    });
    await api.call("PATCH", `/v3/organizations/${eng}/schedules/${ids.weekly}`, { frequency: "30 6 * * *" });
    await api.call("DELETE", `/v3/enterprise/organizations/${eng}/git-providers/permissions/${ids.web}`);
    await api.call("DELETE", `/v3/organizations/${eng}/secrets/${ids.plain}`);
    await stack().ok(["refresh", "--yes", "--skip-preview"]);
    const drift = Object.fromEntries((await stack().previewSteps()).filter((s) => s.op !== "same").map((s) => [s.name, s.op]));
    expect(drift).toEqual({ upgrades: "update", weekly: "update", web: "create", plain: "create" });
    const restored = await stack().ok(["up", "--yes", "--skip-preview"]);
    expect(restored.stdout).toMatch(/2 created/);
    expect(restored.stdout).toMatch(/2 updated/);
    expect((await get<{ body: string }>(`/v3/organizations/${eng}/playbooks/${ids.upgrades}`)).body).toContain("3. Open a PR.");
    await stack().ok(["preview", "--expect-no-changes"]);

    await stack().ok(["destroy", "--yes", "--skip-preview"]);
    expect((await get<{ items: unknown[] }>("/v3/enterprise/playbooks")).items).toEqual([]);
    expect((await get<{ items: unknown[] }>("/v3/enterprise/knowledge/notes")).items).toEqual([]);
    expect((await api.call("GET", `/v3/organizations/${eng}/schedules/${ids.weekly}`)).status).toBe(404);
    expect((await get<{ items: unknown[] }>("/v3/enterprise/organizations")).items).toEqual([]);
  });

  it("bad schedules and git permissions fail at preview, naming the field, with no request", async () => {
    const gitConnectionId = await emu().defaultGitConnectionId();
    const previewOf = async (resource: NonNullable<Spec["resources"]>[number]) => {
      await stack().setSpec({ orgs: [{ key: "eng", name: "Engineering" }], serviceUsers: [], resources: [resource] });
      const mark = (await emu().requests()).length;
      const preview = await stack().run(["preview"]);
      expect(preview.code).not.toBe(0);
      expect(await writesSince(emu(), mark)).toEqual([]);
      return preview.stdout + preview.stderr;
    };
    expect(
      await previewOf({
        key: "nightly",
        type: "Schedule",
        args: { orgId: "$eng.orgId", name: "Nightly", prompt: "p", frequency: "every night" },
      }),
    ).toContain("Schedule 'nightly': frequency: 'every night' has 2 fields; a cron expression has 5");
    const both = await previewOf({
      key: "both",
      type: "GitPermission",
      args: { orgId: "$eng.orgId", gitConnectionId, repoPath: "example-org/web-app", groupPrefix: "example-org/" },
    });
    expect(both).toContain("set exactly one of repoPath, groupPrefix and prefixPath; this sets repoPath and groupPrefix");
    expect(both).toContain("groupPrefix 'example-org/' must not end with '/' (the API adds it): use 'example-org'");
  });
});
