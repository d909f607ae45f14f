import { describe, expect, it } from "vitest";
import { useStack, writesSince, type Spec } from "../support/pulumi";

/** What a reviewer reads in a pull request is `pulumi preview`: it must show exactly what `up` then does. */

const SPEC: Spec = {
  orgs: [{ key: "eng", name: "Engineering", acuLimit: 100 }],
  serviceUsers: [{ key: "ci", org: "eng", name: "ci", role: "Member" }],
};

const { emu, stack } = useStack(SPEC);

type Org = { org_id: string; name: string; max_session_acu_limit: number | null; max_cycle_acu_limit: number | null };
const liveOrgs = async () => (await emu().call<{ items: Org[] }>("GET", "/v3/enterprise/organizations")).body.items;

describe("previews a reviewer can trust", () => {
  it("an org's limit change previews as one update, and its service user stays the same (ids stay known)", async () => {
    await stack().up();
    await stack().setSpec({ ...SPEC, orgs: [{ ...SPEC.orgs[0], acuLimit: 250 }] });
    const mark = (await emu().requests()).length;
    const steps = await stack().previewSteps();
    expect(steps.filter((s) => s.op !== "same").map((s) => [s.op, s.name])).toEqual([["update", "eng"]]);
    expect(await writesSince(emu(), mark)).toEqual([]);

    const up = await stack().ok(["up", "--yes", "--skip-preview"]);
    expect(up.stdout).toMatch(/1 updated/);
    expect(up.stdout).not.toMatch(/replaced|created|deleted/);
  });

  it("a server-side value the program does not manage is no drift after refresh, and never shows in an update", async () => {
    await stack().up();
    const [org] = await liveOrgs();
    // maxSessionAcuLimit is not declared: whatever the server holds is not the program's business.
    await emu().call("PATCH", `/v3/enterprise/organizations/${org.org_id}`, { max_session_acu_limit: 77 });
    await stack().ok(["refresh", "--yes", "--skip-preview"]);
    await stack().ok(["preview", "--expect-no-changes"]);

    // With a real change next to it, the update's old and new inputs differ in that change only.
    await stack().setSpec({ ...SPEC, orgs: [{ ...SPEC.orgs[0], acuLimit: 150 }] });
    const [update] = (await stack().previewSteps()).filter((s) => s.op !== "same");
    expect(update.name).toBe("eng");
    const changed = Object.keys({ ...update.oldInputs, ...update.newInputs }).filter(
      (k) => JSON.stringify(update.oldInputs?.[k]) !== JSON.stringify(update.newInputs?.[k]),
    );
    expect(changed).toEqual(["acuLimit"]);
    await stack().ok(["up", "--yes", "--skip-preview"]);
    expect((await liveOrgs())[0]).toMatchObject({ max_cycle_acu_limit: 150, max_session_acu_limit: 77 });
  });

  it("two orgs with the same name in one program fail at preview, naming both, with zero API requests", async () => {
    await stack().setSpec({ orgs: [SPEC.orgs[0], { key: "eng-again", name: "Engineering" }], serviceUsers: [] });
    const mark = (await emu().requests()).length;
    const preview = await stack().run(["preview"]);
    const output = preview.stdout + preview.stderr;
    expect(preview.code).not.toBe(0);
    expect(output).toContain("Organization 'eng-again' and Organization 'eng' both declare the organization name 'Engineering'");
    // One line as thrown: not routed through an input, which the SDK would prefix with "error serializing property".
    expect(output).not.toContain("error serializing");
    expect(output).not.toMatch(/\s+at \S+ \(/);
    // The first org may be checked before the program fails on the second: its create proves the settings (one read).
    expect((await emu().requests()).slice(mark).filter((r) => r.path !== "/v3/self")).toEqual([]);

    const up = await stack().run(["up", "--yes", "--skip-preview"]);
    expect(up.code).not.toBe(0);
    expect((await liveOrgs()).filter((o) => o.name === "Engineering").length).toBeLessThanOrEqual(1);
  });

  it("an unknown argument from JSON (acu_limit) fails at preview with a 'did you mean', instead of clearing the limit", async () => {
    await stack().up();
    await stack().setSpec({ ...SPEC, orgs: [{ key: "eng", name: "Engineering", acu_limit: 100 }] });
    const mark = (await emu().requests()).length;
    const preview = await stack().run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toContain("Organization 'eng' has unknown argument 'acu_limit' (did you mean 'acuLimit'?)");
    expect(await writesSince(emu(), mark)).toEqual([]);
    expect((await liveOrgs())[0].max_cycle_acu_limit).toBe(100);
  });

  it("deleting an org whose service users the stack still holds by a literal id is refused, naming them, with no DELETE", async () => {
    await stack().up();
    const { orgIds } = await stack().outputs();
    // The service user names its org by a literal id: Pulumi sees no dependency between them.
    const literal: Spec = { orgs: SPEC.orgs, serviceUsers: [{ key: "ci", orgId: orgIds.eng, name: "ci", role: "Member" }] };
    await stack().setSpec(literal);
    await stack().ok(["up", "--yes", "--skip-preview"]);
    const { serviceUserIds } = await stack().outputs();

    await stack().setSpec({ ...literal, orgs: [] });
    const mark = (await emu().requests()).length;
    const up = await stack().run(["up", "--yes", "--skip-preview"]);
    const output = up.stdout + up.stderr;
    expect(up.code).not.toBe(0);
    expect(output).toContain(`delete organization ${orgIds.eng} refused: service users still live in it: 'ci' (${serviceUserIds.ci})`);
    expect(await writesSince(emu(), mark)).toEqual([]);
    expect(await liveOrgs()).toHaveLength(1);

    // Once the service user goes first, the org can go.
    await stack().setSpec({ orgs: [], serviceUsers: [] });
    await stack().ok(["up", "--yes", "--skip-preview"]);
    expect(await liveOrgs()).toEqual([]);
  });
});
