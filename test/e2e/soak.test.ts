import { describe, expect, it } from "vitest";
import type { FaultRule } from "../../emulator/types";
import { expectExactlyTheStack } from "../support/enterprise";
import { useStack, type Spec } from "../support/pulumi";

/**
 * The soak: a quarter of all API requests fail (429, 500, 503, a dropped connection, or a commit whose answer is
 * lost), and `pulumi up` is run until it converges. In `npm test` at N = 20 orgs with a service user each;
 * `npm run soak -- <N>` runs it larger and prints what it measured.
 */
const N = Number(process.env.SOAK_N) || 20;
const RATE = 0.25;
/** Five kinds, each firing with p so that one of them fires on a request with probability RATE. */
const p = 1 - (1 - RATE) ** (1 / 5);
const FAULTS: FaultRule[] = [
  { kind: "rate-limit", path: "/**", probability: p, retryAfterSeconds: 1 },
  { kind: "server-error", path: "/**", probability: p, status: 500 },
  { kind: "server-error", path: "/**", probability: p, status: 503 },
  { kind: "drop", path: "/**", probability: p },
  { kind: "commit-then-drop", path: "/**", probability: p },
];

const spec: Spec = {
  orgs: Array.from({ length: N }, (_, i) => ({ key: `org${i}`, name: `Soak ${i}`, acuLimit: 10 + i })),
  serviceUsers: Array.from({ length: N }, (_, i) => ({ key: `bot${i}`, org: `org${i}`, name: `soak-bot-${i}`, role: "Member" })),
};

const { emu, stack } = useStack(spec);

describe("soak: 25% mixed faults", () => {
  it(`${N} orgs and ${N} service users converge within 3 ups, with no duplicate, no orphan, and working keys`, async () => {
    await emu().faults(FAULTS);
    const started = Date.now();
    const runs: { code: number; seconds: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const t = Date.now();
      const res = await stack().run(["up", "--yes", "--skip-preview"]);
      runs.push({ code: res.code, seconds: (Date.now() - t) / 1000 });
      if (res.code === 0) break;
    }
    const log = await emu().requests();
    await emu().faults([]);
    const failed = log.filter((r) => r.status === 0 || r.status === 429 || r.status >= 500).length;
    console.log(
      `soak N=${N}: ${runs.length} up(s) [${runs.map((r) => `${r.code === 0 ? "ok" : "failed"} ${r.seconds.toFixed(1)}s`).join(", ")}], ` +
        `${log.length} requests, ${failed} faulted (${((100 * failed) / log.length).toFixed(0)}%), ${((Date.now() - started) / 1000).toFixed(1)}s in all`,
    );
    expect(runs.at(-1)?.code).toBe(0);
    await expectExactlyTheStack(emu(), stack(), spec);
    await stack().ok(["preview", "--expect-no-changes"]);
  }, 900_000);
});
