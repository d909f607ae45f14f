import { expect } from "vitest";
import type { TestEmulator } from "./emulator";
import type { Spec, TestStack } from "./pulumi";

export type LiveServiceUser = { service_user_id: string; name: string; role_assignments: { org_id: string | null }[] };
export type LiveOrg = { org_id: string; name: string };

/** Every org and service user on the server, except the emulator's own admin. */
export async function liveObjects(api: TestEmulator): Promise<{ orgs: LiveOrg[]; serviceUsers: LiveServiceUser[] }> {
  const orgs = await api.call<{ items: LiveOrg[]; total: number }>("GET", "/v3/enterprise/organizations?first=200");
  const sus = await api.call<{ items: LiveServiceUser[]; total: number }>("GET", "/v3/enterprise/members/service-users?first=200");
  if (orgs.body.total > 200 || sus.body.total > 200) throw new Error("liveObjects reads one page of 200");
  return { orgs: orgs.body.items, serviceUsers: sus.body.items.filter((s) => s.name !== "emulator-admin") };
}

/** The server holds exactly what the stack's outputs name, once each, and every key in the state works. */
export async function expectExactlyTheStack(api: TestEmulator, stack: TestStack, spec: Spec): Promise<void> {
  const outputs = await stack.outputs(true);
  const live = await liveObjects(api);
  expect(live.orgs.map((o) => o.org_id).sort()).toEqual(Object.values(outputs.orgIds).sort());
  expect(live.orgs.map((o) => o.name).sort()).toEqual(spec.orgs.map((o) => o.name).sort());
  expect(live.serviceUsers.map((x) => x.service_user_id).sort()).toEqual(Object.values(outputs.serviceUserIds).sort());
  expect(live.serviceUsers.map((x) => x.name).sort()).toEqual(spec.serviceUsers.map((x) => x.name).sort());
  for (const [key, apiKey] of Object.entries(outputs.apiKeys)) {
    expect((await api.call("GET", "/v3/self", undefined, apiKey)).status, `the key of ${key} authenticates`).toBe(200);
  }
}
