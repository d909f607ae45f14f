import type { FastifyInstance, FastifyRequest } from "fastify";
import { principalOf } from "../auth";
import { normaliseRanges } from "../ipRanges";
import { invalid } from "../problem";
import { audit, type Emulator } from "../store";

const rangesBody = {
  type: "object",
  required: ["ip_ranges"],
  properties: { ip_ranges: { type: "array", items: { type: "string" } } },
} as const;

type RangesRoute = { Body: { ip_ranges: string[] } };

/**
 * The enterprise IP access list (docs/api-notes.md section 13). The auth hook enforces it; these routes only keep it.
 * The docs name ManageEnterpriseSettings or ManageIPWhitelist; the emulator uses ManageEnterpriseSettings for all four.
 */
export function ipAccessListRoutes(app: FastifyInstance, emu: Emulator): void {
  const config = { access: { permission: "ManageEnterpriseSettings" as const } };
  const path = "/enterprise/ip-access-list";
  const current = () => ({ ip_ranges: [...emu.store.state.ipAccessList] });

  function normalised(entries: readonly string[]): string[] {
    const result = normaliseRanges(entries);
    if ("ranges" in result) return result.ranges;
    throw invalid(
      result.invalid.map((i) => ({
        loc: ["body", "ip_ranges", i],
        msg: `'${entries[i]}' is not a valid IPv4 or IPv6 address or CIDR range`,
        type: "value_error",
      })),
    );
  }

  /** Every write answers the resulting list, which is enforced from the very next request (the caller's own too). */
  async function write(req: FastifyRequest, ranges: string[], operation: "add" | "replace" | "clear") {
    const principal = principalOf(req);
    emu.store.state.ipAccessList = [...new Set(ranges)];
    audit(emu, principal, "update_enterprise_settings", null, { setting: "ip_access_list", operation, ip_ranges: current().ip_ranges });
    await emu.store.commit();
    return current();
  }

  app.get(path, { config }, async () => current());
  app.post<RangesRoute>(path, { config, schema: { body: rangesBody } }, (req) =>
    write(req, [...emu.store.state.ipAccessList, ...normalised(req.body.ip_ranges)], "add"),
  );
  app.put<RangesRoute>(path, { config, schema: { body: rangesBody } }, (req) => write(req, normalised(req.body.ip_ranges), "replace"));
  app.delete(path, { config }, (req) => write(req, [], "clear"));
}
