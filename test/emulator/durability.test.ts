import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startTestEmulator, tempDir, type TestEmulator } from "../support/emulator";

const running: TestEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});
async function start(options: Parameters<typeof startTestEmulator>[0] = {}) {
  const emu = await startTestEmulator(options);
  running.push(emu);
  return emu;
}

type Page = { items: { org_id: string; name: string }[]; end_cursor: string | null; has_next_page: boolean; total: number };

describe("pagination", () => {
  it("walks more than 200 objects with first/after, each exactly once", async () => {
    const emu = await start();
    for (let i = 0; i < 450; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => emu.call("POST", "/v3/enterprise/organizations", { name: `org-${i + j}` })));
    }
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const query: string = `first=200${after ? `&after=${encodeURIComponent(after)}` : ""}`;
      const res = await emu.call<Page>("GET", `/v3/enterprise/organizations?${query}`);
      expect(res.body.total).toBe(450);
      seen.push(...res.body.items.map((o) => o.org_id));
      after = res.body.has_next_page ? res.body.end_cursor : null;
      if (!res.body.has_next_page) expect(res.body.end_cursor).toBeNull();
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(450);
    expect(new Set(seen).size).toBe(450);
    const defaults = await emu.call<Page>("GET", "/v3/enterprise/organizations");
    expect(defaults.body.items).toHaveLength(100);
    expect((await emu.call("GET", "/v3/enterprise/organizations?after=garbage")).status).toBe(422);
  });
});

describe("state", () => {
  it("survives a restart, and the admin token keeps working", async () => {
    const stateDir = tempDir();
    const first = await start({ stateDir });
    const org = (await first.call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: "kept", max_cycle_acu_limit: 9 }))
      .body;
    const su = (
      await first.call<{ token: string }>("POST", "/v3beta1/enterprise/service-users", {
        name: "kept-su",
        role_id: "account_member",
        ttl_seconds: 600,
      })
    ).body;
    await first.close();
    running.length = 0;

    const second = await start({ stateDir, token: first.token });
    expect((await second.call("GET", `/v3/enterprise/organizations/${org.org_id}`)).body).toMatchObject({
      name: "kept",
      max_cycle_acu_limit: 9,
    });
    expect((await second.call("GET", "/v3/self", undefined, su.token)).status).toBe(200);
    const raw = readFileSync(join(stateDir, "state.json"), "utf8");
    expect(raw).not.toContain(su.token);
    expect(raw).not.toContain(first.token);
  });

  it("gives 200 parallel creates 200 distinct orgs", async () => {
    const emu = await start({ stateDir: tempDir() });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => emu.call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: `p-${i}` })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => r.body.org_id)).size).toBe(200);
    expect((await emu.call<Page>("GET", "/v3/enterprise/organizations?first=1")).body.total).toBe(200);
  });

  it("loses no acknowledged write and never corrupts state when killed mid-write", async () => {
    const stateDir = tempDir();
    const cli = join(__dirname, "../../dist/emulator/cli.js");
    const child = spawn(process.execPath, [cli, "--port", "0", "--state", stateDir], { stdio: ["ignore", "pipe", "inherit"] });
    const banner = await new Promise<string>((resolve) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("token:")) resolve(out);
      });
    });
    const url = /listening on (http:\/\/\S+) /.exec(banner)?.[1] as string;
    const token = /token: (cog_\S+)/.exec(banner)?.[1] as string;

    // The kill lands the moment the first write is acknowledged, while the other writes are in flight.
    const acknowledged: string[] = [];
    const inFlight = Array.from({ length: 300 }, async (_, i) => {
      try {
        const res = await fetch(`${url}/v3/enterprise/organizations`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ name: `k-${i}` }),
        });
        if (res.status !== 200) return;
        const body = await res.text();
        if (acknowledged.length === 0) child.kill("SIGKILL");
        acknowledged.push((JSON.parse(body) as { org_id: string }).org_id);
      } catch {
        // cut off by the kill
      }
    });
    await Promise.all(inFlight);
    expect(acknowledged.length).toBeGreaterThanOrEqual(1);
    expect(acknowledged.length).toBeLessThan(300);

    const state = JSON.parse(readFileSync(join(stateDir, "state.json"), "utf8")) as { orgs: Record<string, unknown> };
    for (const id of acknowledged) expect(state.orgs[id], id).toBeDefined();
    const again = await start({ stateDir, token });
    const total = (await again.call<Page>("GET", "/v3/enterprise/organizations?first=1")).body.total;
    expect(total).toBeGreaterThanOrEqual(acknowledged.length);
  });
});
