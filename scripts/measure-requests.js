#!/usr/bin/env node
// Counts the API requests each provider operation makes, and how creates behave under injected faults, against the
// emulator (compiled code, plain Node). Prints counts and time ratios, not assertions; the tests assert the rules.
const { startEmulator } = require("../dist/emulator");
const impl = require("../dist/provider/impl");

async function main() {
  const emu = await startEmulator({ port: 0, controlPlane: true });
  const control = (method, path, body) =>
    fetch(`${emu.url}/_emulator/${path}`, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
  const log = async () => (await (await control("GET", "requests")).json()).requests;
  impl.configure({ config: { get: (k) => ({ "devin:token": emu.token, "devin:apiUrl": emu.url })[k] } });

  const rows = [];
  async function measure(label, fn) {
    const before = (await log()).length;
    const t = Date.now();
    const result = await fn();
    const calls = (await log()).slice(before);
    rows.push({ operation: label, requests: calls.length, writes: calls.filter((c) => c.method !== "GET").length, ms: Date.now() - t });
    return result;
  }

  const org = await measure("Organization check (preview)", () => impl.organization.check({}, { name: "m", acuLimit: 1 }));
  void org;
  const created = await measure("Organization create", () => impl.organization.create({ name: "m", acuLimit: 1 }));
  await measure("Organization diff (preview)", () => impl.organization.diff(created.id, created.outs, { name: "m", acuLimit: 2 }));
  await measure("Organization read (refresh)", () => impl.organization.read(created.id));
  await measure("Organization update", () => impl.organization.update(created.id, created.outs, { name: "m", acuLimit: 2 }));
  await measure("ServiceUser check, first in process", () => impl.serviceUser.check({}, { orgId: created.id, name: "s", role: "Member" }));
  await measure("ServiceUser check, roles cached", () => impl.serviceUser.check({}, { orgId: created.id, name: "s2", role: "Member" }));
  const su = await measure("ServiceUser create", () => impl.serviceUser.create({ orgId: created.id, name: "s", role: "Member" }));
  await measure("ServiceUser diff (preview)", () => impl.serviceUser.diff(su.id, su.outs, { orgId: created.id, name: "s", role: "Admin" }));
  await measure("ServiceUser read (refresh)", () => impl.serviceUser.read(su.id, su.outs));
  await measure("ServiceUser update (role)", () =>
    impl.serviceUser.update(su.id, su.outs, { orgId: created.id, name: "s", role: "Admin" }),
  );
  await measure("ServiceUser delete", () => impl.serviceUser.delete(su.id));
  await measure("Organization delete", () => impl.organization.delete(created.id));

  const faults = [
    ["429 twice, Retry-After: 1", { kind: "rate-limit", retryAfterSeconds: 1, times: 2 }],
    ["503 once", { kind: "server-error", status: 503, times: 1 }],
    ["500 once", { kind: "server-error", status: 500, times: 1 }],
    ["drop before processing", { kind: "drop", times: 1 }],
    ["commit then drop", { kind: "commit-then-drop", times: 1 }],
  ];
  const baseline = rows.find((r) => r.operation === "Organization create");
  for (const [label, fault] of faults) {
    await control("PUT", "faults", { faults: [{ ...fault, method: "POST", path: "/v3/enterprise/organizations" }] });
    const name = `fault-${label}`;
    const res = await measure(`Organization create, ${label}`, () => impl.organization.create({ name }));
    const orgs = await (
      await fetch(`${emu.url}/v3/enterprise/organizations?first=200`, { headers: { authorization: `Bearer ${emu.token}` } })
    ).json();
    rows[rows.length - 1].objects = orgs.items.filter((o) => o.name === name).length;
    await impl.organization.delete(res.id);
  }
  await control("DELETE", "faults");

  console.log("operation".padEnd(52), "requests", "writes", "  ms", "objects", "time vs clean create");
  for (const r of rows) {
    const ratio = r.operation.startsWith("Organization create,") ? `${(r.ms / Math.max(1, baseline.ms)).toFixed(1)}x` : "";
    console.log(
      r.operation.padEnd(52),
      String(r.requests).padStart(8),
      String(r.writes).padStart(6),
      String(r.ms).padStart(5),
      String(r.objects ?? "").padStart(7),
      ratio.padStart(8),
    );
  }
  await emu.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
