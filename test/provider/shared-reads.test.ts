import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { organization } from "../../provider/impl/organization";
import { clearRoleCache } from "../../provider/impl/roles";
import { serviceUser } from "../../provider/impl/serviceUser";
import { callsSince, configureFor, useEmulator } from "../support/provider";

/**
 * The lists a run reads once and shares (the roles, the organizations the duplicate guard checks, the service users
 * an org delete checks): one that failed is not remembered, so the next caller of the same run reads it again and
 * succeeds, instead of failing on a failure that is over.
 */

const { emu } = useEmulator();
const mark = async () => (await emu().requests()).length;

beforeEach(() => {
  // One attempt per call: a failed read fails its caller at once.
  process.env.DEVIN_RETRY_BUDGET_SECONDS = "0";
  clearRoleCache();
  // A new run: what the last one read is forgotten.
  configureFor(emu());
});

afterEach(() => {
  delete process.env.DEVIN_RETRY_BUDGET_SECONDS;
});

describe("a shared read that failed", () => {
  it("the role list: the next check reads it again and passes; the one after reads nothing", async () => {
    const bot = { orgId: await emu().newOrg("eng"), name: "bot", role: "Member" };
    await emu().faults([{ kind: "server-error", method: "GET", path: "/v3*/enterprise/roles", status: 503 }]);
    expect((await serviceUser.check({}, bot)).failures).toEqual([
      { property: "", reason: expect.stringContaining("list roles failed: the Devin API answered 503") },
    ]);
    await emu().faults([]);

    let m = await mark();
    expect((await serviceUser.check({}, bot)).failures).toEqual([]);
    // The roles again, then (the rules passing now) the one list that proves the org exists.
    expect(await callsSince(emu(), m)).toEqual(["GET /enterprise/roles", "GET /enterprise/organizations"]);
    m = await mark();
    expect((await serviceUser.check({}, { ...bot, name: "bot2" })).failures).toEqual([]);
    expect(await callsSince(emu(), m)).toEqual([]);
  });

  it("the guard's list of organizations: the next create of the run reads it again and is made", async () => {
    await emu().faults([{ kind: "server-error", method: "GET", path: "/v3*/enterprise/organizations", status: 503 }]);
    const failed = (await organization.create({ name: "first" }).catch((e: Error) => e)) as Error;
    expect(failed.message).toContain("create organization 'first' failed: the Devin API answered 503");
    await emu().faults([]);

    const m = await mark();
    const created = await organization.create({ name: "second" });
    expect(created.id).toMatch(/^org-/);
    expect(await callsSince(emu(), m)).toEqual(["GET /enterprise/organizations", "POST /enterprise/organizations"]);
    // And the failed one, tried again in the same run, is made too: the list read just now is shared.
    expect((await organization.create({ name: "first" })).id).toMatch(/^org-/);
  });

  it("the service users an org delete checks: the next delete of the run reads them again and deletes", async () => {
    const [a, b] = [await emu().newOrg("a"), await emu().newOrg("b")];
    await emu().faults([{ kind: "server-error", method: "GET", path: "/v3*/enterprise/members/service-users", status: 503 }]);
    const failed = (await organization.delete(a, { name: "a" } as never).catch((e: Error) => e)) as Error;
    expect(failed.message).toContain(`delete organization ${a} failed: the Devin API answered 503`);
    await emu().faults([]);

    const m = await mark();
    await organization.delete(b, { name: "b" } as never);
    expect(await callsSince(emu(), m)).toEqual(["GET /enterprise/members/service-users", `DELETE /enterprise/organizations/${b}`]);
    await organization.delete(a, { name: "a" } as never);
    const left = (await emu().call<{ items: { org_id: string }[] }>("GET", "/v3/enterprise/organizations")).body.items.map((o) => o.org_id);
    expect(left).not.toContain(a);
    expect(left).not.toContain(b);
  });
});
