import { afterEach, describe, expect, it } from "vitest";
import { apiKey } from "../../provider/impl/apiKey";
import { noteHeld } from "../../provider/impl/createOnce";
import { gitPermission } from "../../provider/impl/gitPermission";
import { orgServiceUserRole } from "../../provider/impl/orgServiceUserRole";
import { orgUserRole } from "../../provider/impl/orgUserRole";
import { secret } from "../../provider/impl/secret";
import { serviceUser } from "../../provider/impl/serviceUser";
import { callsSince, configureFor, useEmulator } from "../support/provider";

const { emu } = useEmulator();
const mark = async () => (await emu().requests()).length;

const MISSING_ORG = `org-${"0".repeat(32)}`;
const MISSING_SU = `service-user-${"0".repeat(32)}`;
const MISSING_USER = `user-${"0".repeat(32)}`;

const failuresOf = (res: { failures?: { property: string; reason: string }[] }) =>
  (res.failures ?? []).map((f) => `${f.property}: ${f.reason}`);

const firstUser = async () =>
  (await emu().call<{ items: { user_id: string }[] }>("GET", "/v3/enterprise/members/users?first=1")).body.items[0].user_id;
const enterpriseServiceUser = async () =>
  (await emu().provision("/v3beta1/enterprise/service-users", "account_member", "ci")).service_user.service_user_id;

/** The calls since `m`, each a GET (a check never writes). */
async function readsSince(m: number): Promise<string[]> {
  const calls = await callsSince(emu(), m);
  expect(calls.filter((c) => !c.startsWith("GET "))).toEqual([]);
  return calls;
}

afterEach(() => {
  delete process.env.DEVIN_RETRY_BUDGET_SECONDS;
});

describe("an id a resource refers to is checked at preview", () => {
  it("ServiceUser.orgId of a missing org fails check in one line, with GETs only; an existing org passes", async () => {
    const m = await mark();
    expect(failuresOf(await serviceUser.check({}, { orgId: MISSING_ORG, name: "ci", role: "Member" }))).toEqual([
      `orgId: orgId '${MISSING_ORG}' names no organization this token can see: use an Organization's orgId or one from getOrganizations().`,
    ]);
    // The run's org list lacks it, and so does its own GET: only then is it missing.
    expect((await readsSince(m)).filter((c) => c !== "GET /enterprise/roles")).toEqual([
      "GET /enterprise/organizations",
      `GET /enterprise/organizations/${MISSING_ORG}`,
    ]);
    // An org made after the run read its list is found by its GET.
    const orgId = await emu().newOrg();
    expect(failuresOf(await serviceUser.check({}, { orgId, name: "ci", role: "Member" }))).toEqual([]);
  });

  it("ApiKey.serviceUserId of a missing or deleted service user fails check; a live one passes", async () => {
    const m = await mark();
    expect(failuresOf(await apiKey.check({}, { serviceUserId: MISSING_SU, name: "ci" }))).toEqual([
      `serviceUserId: serviceUserId '${MISSING_SU}' names no live service user this token can see: use a ServiceUser's serviceUserId or one from getServiceUsers() (a deleted or expired one cannot be used).`,
    ]);
    expect(await readsSince(m)).toEqual([`GET /enterprise/members/service-users/${MISSING_SU}`]);
    const live = await enterpriseServiceUser();
    expect(failuresOf(await apiKey.check({}, { serviceUserId: live, name: "ci" }))).toEqual([]);
    const gone = await enterpriseServiceUser();
    await emu().call("DELETE", `/v3/enterprise/members/service-users/${gone}`);
    expect(failuresOf(await apiKey.check({}, { serviceUserId: gone, name: "ci" }))).toEqual([
      expect.stringMatching(new RegExp(`^serviceUserId: serviceUserId '${gone}' names no live service user`)),
    ]);
    // Expired an hour ago (made two hours back with a one-hour TTL): the API still shows it, but it cannot be used.
    await emu().advanceClock(-7200);
    const expired = await enterpriseServiceUser();
    await emu().advanceClock(7200);
    expect(failuresOf(await apiKey.check({}, { serviceUserId: expired, name: "ci" }))).toEqual([
      expect.stringMatching(new RegExp(`^serviceUserId: serviceUserId '${expired}' names no live service user`)),
    ]);
  });

  it("OrgUserRole.userId and orgId are checked; an existing user in an existing org passes", async () => {
    const orgId = await emu().newOrg();
    const userId = await firstUser();
    const m = await mark();
    expect(failuresOf(await orgUserRole.check({}, { orgId, userId: MISSING_USER, role: "Member" }))).toEqual([
      `userId: userId '${MISSING_USER}' names no user of the enterprise this token can see: use a user_id from getUsers() (or getUsers({ email })).`,
    ]);
    expect(failuresOf(await orgUserRole.check({}, { orgId: MISSING_ORG, userId, role: "Member" }))).toEqual([
      expect.stringMatching(/^orgId: orgId 'org-0+' names no organization/),
    ]);
    await readsSince(m);
    expect(failuresOf(await orgUserRole.check({}, { orgId, userId, role: "Member" }))).toEqual([]);
  });

  it("the other references: OrgServiceUserRole.serviceUserId, a Secret's orgId, a GitPermission's gitConnectionId", async () => {
    const orgId = await emu().newOrg();
    const m = await mark();
    expect(failuresOf(await orgServiceUserRole.check({}, { orgId, serviceUserId: MISSING_SU, role: "Member" }))).toEqual([
      expect.stringMatching(/^serviceUserId: serviceUserId 'service-user-0+' names no live service user/),
    ]);
    expect(failuresOf(await secret.check({}, { orgId: MISSING_ORG, key: "NPM_TOKEN", value: "s3cr3t-value" }))).toEqual([
      expect.stringMatching(/^orgId: orgId 'org-0+' names no organization/),
    ]);
    const connection = `git-connection-${"0".repeat(32)}`;
    expect(failuresOf(await gitPermission.check({}, { orgId, gitConnectionId: connection, repoPath: "acme/web" }))).toEqual([
      `gitConnectionId: gitConnectionId '${connection}' names no git connection this token can see: use a gitConnectionId from getGitConnections() (connections are made in the Devin app).`,
    ]);
    await readsSince(m);
    const real = await emu().defaultGitConnectionId();
    expect(failuresOf(await gitPermission.check({}, { orgId, gitConnectionId: real, repoPath: "acme/web" }))).toEqual([]);
  });

  it("sends no read for an id the stack holds or this run created, nor for an unchanged program", async () => {
    const orgId = await emu().newOrg();
    const held = await enterpriseServiceUser();
    noteHeld(held);
    let m = await mark();
    expect(failuresOf(await apiKey.check({}, { serviceUserId: held, name: "ci" }))).toEqual([]);
    expect(await callsSince(emu(), m)).toEqual([]);

    // A service user this run provisioned: the ApiKey naming it reads nothing.
    const created = await serviceUser.create({ name: "made-here", role: "Member" });
    m = await mark();
    expect(failuresOf(await apiKey.check({}, { serviceUserId: created.id, name: "ci" }))).toEqual([]);
    expect(await callsSince(emu(), m)).toEqual([]);

    // Unchanged (the old inputs name the same ids): a preview of an unchanged stack sends nothing.
    const userId = await firstUser();
    m = await mark();
    const same = { orgId, userId, role: "Member" };
    expect(failuresOf(await orgUserRole.check(same, same))).toEqual([]);
    const su = { orgId, name: "ci", role: "Member" };
    expect(failuresOf(await serviceUser.check(su, su))).toEqual([]);
    expect(await callsSince(emu(), m)).toEqual([]);
  });

  it("reads each id once per run, however many resources name it; a new run reads again", async () => {
    const orgId = await emu().newOrg();
    const su = await enterpriseServiceUser();
    const m = await mark();
    const results = await Promise.all([
      apiKey.check({}, { serviceUserId: su, name: "a" }),
      apiKey.check({}, { serviceUserId: su, name: "b" }),
      orgServiceUserRole.check({}, { orgId, serviceUserId: su, role: "Member" }),
      secret.check({}, { orgId, key: "A", value: "value-a" }),
      secret.check({}, { orgId, key: "B", value: "value-b" }),
    ]);
    expect(results.flatMap(failuresOf)).toEqual([]);
    expect((await readsSince(m)).sort()).toEqual(["GET /enterprise/members/service-users/" + su, "GET /enterprise/organizations"].sort());

    configureFor(emu()); // the next run
    const again = await mark();
    await apiKey.check({}, { serviceUserId: su, name: "a" });
    expect(await callsSince(emu(), again)).toEqual([`GET /enterprise/members/service-users/${su}`]);
  });

  it("a read that fails reports its real cause and is not remembered: the next check reads again", async () => {
    const su = await enterpriseServiceUser();
    process.env.DEVIN_RETRY_BUDGET_SECONDS = "0";
    await emu().faults([
      { kind: "server-error", status: 503, method: "GET", path: `/v3/enterprise/members/service-users/${su}`, times: 1 },
    ]);
    const failed = failuresOf(await apiKey.check({}, { serviceUserId: su, name: "ci" }));
    expect(failed).toEqual([expect.stringMatching(/^: check that serviceUserId '.*' exists failed: the Devin API answered 503/)]);
    expect(failed[0]).not.toContain("names no");
    expect(failuresOf(await apiKey.check({}, { serviceUserId: su, name: "ci" }))).toEqual([]);
  });

  it("a token that may not read the service user gets the permission it lacks, never 'does not exist'", async () => {
    const orgId = await emu().newOrg();
    const su = await enterpriseServiceUser();
    const { token } = await emu().provision(`/v3beta1/organizations/${orgId}/service-users`, "org_member", "limited");
    configureFor({ url: emu().url, token });
    const m = await mark();
    expect(failuresOf(await apiKey.check({}, { serviceUserId: su, name: "ci" }))).toEqual([
      `serviceUserId: serviceUserId '${su}' could not be checked: the token's service user lacks the ViewAccountMembership permission (403), so it cannot see whether that live service user exists. Use a token whose role holds ViewAccountMembership, e.g. an enterprise Admin.`,
    ]);
    await readsSince(m);
  });
});
