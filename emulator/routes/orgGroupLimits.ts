import type { FastifyInstance } from "fastify";
import { principalOf } from "../auth";
import { invalid, type FieldError } from "../problem";
import { audit, liveOrgOrNull, requireFeature, type Emulator, type OrgGroupLimit } from "../store";

const limitsBody = {
  type: "object",
  required: ["groups"],
  properties: {
    groups: {
      type: "object",
      // Group names are not documented; the emulator takes 1..256 characters.
      propertyNames: { minLength: 1, maxLength: 256 },
      additionalProperties: {
        type: "object",
        required: ["org_ids"],
        properties: {
          org_ids: { type: "array", uniqueItems: true, items: { type: "string", minLength: 1 } },
          max_cycle_acus: { type: ["integer", "null"], minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
        },
      },
    },
  },
} as const;

type LimitsBody = { groups: Record<string, { org_ids: string[]; max_cycle_acus?: number | null }> };

/**
 * Org group limits (docs/api-notes.md section 14): one document, replaced whole by PUT. Independent of the orgs'
 * own `max_cycle_acu_limit` and of the ACU-limit endpoints.
 */
export function orgGroupLimitRoutes(app: FastifyInstance, emu: Emulator): void {
  const path = "/enterprise/org-group-limits";
  const options = {
    config: { access: { permission: "ManageOrganizations" as const } },
    // Without the feature the endpoint does not exist for the enterprise: 404, whatever the body.
    preValidation: async () => requireFeature(emu, "orgGroupLimits", 404, "Organization group limits"),
  };
  const present = () => ({ groups: structuredClone(emu.store.state.orgGroupLimits) });

  app.get(path, options, async () => present());

  app.put<{ Body: LimitsBody }>(path, { ...options, schema: { body: limitsBody } }, async (req) => {
    const principal = principalOf(req);
    const groupOf = new Map<string, string>();
    const errors: FieldError[] = [];
    const next: Record<string, OrgGroupLimit> = {};
    for (const [name, group] of Object.entries(req.body.groups)) {
      group.org_ids.forEach((orgId, i) => {
        const loc = ["body", "groups", name, "org_ids", i];
        const other = groupOf.get(orgId);
        if (!liveOrgOrNull(emu, orgId)) errors.push({ loc, msg: `organization ${orgId} not found`, type: "value_error" });
        else if (other !== undefined) {
          errors.push({
            loc,
            msg: `organization ${orgId} is already in group '${other}'; an org belongs to one group at most`,
            type: "value_error",
          });
        } else groupOf.set(orgId, name);
      });
      next[name] = { org_ids: [...group.org_ids], max_cycle_acus: group.max_cycle_acus ?? null };
    }
    if (errors.length > 0) throw invalid(errors);
    // Groups absent from the body are deleted: the body is the whole configuration.
    emu.store.state.orgGroupLimits = next;
    audit(emu, principal, "set_org_group_limits", null, present());
    await emu.store.commit();
    return present();
  });
}
