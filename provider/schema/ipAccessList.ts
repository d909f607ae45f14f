import { adoptIdField } from "./fields";
import type { ResourceSchema } from "./types";

export const ipAccessList: ResourceSchema = {
  kind: "IpAccessList",
  description:
    "The enterprise's IP access list (one per enterprise). Once it is not empty, the API answers only requests from its ranges, starting with the next one. The resource owns the whole list: create and update replace it, delete clears it (which lifts the restriction). If a list ever locks you out, clear it from an allowed address, or ask Devin support.",
  example: `new devin.IpAccessList("office", { ipRanges: ["203.0.113.0/24", "2001:db8::/32"] });`,
  importId: '"ip-access-list" (the enterprise has one list)',
  permissions: [{ method: "*", path: /^\/enterprise\/ip-access-list$/, permission: "ManageEnterpriseSettings" }],
  fields: [
    {
      name: "ipRanges",
      wire: "ip_ranges",
      type: { arrayOf: "string" },
      input: "required",
      description:
        "The CIDR ranges (IPv4 or IPv6; a bare address means that address alone) allowed to call the Devin API. Kept in canonical form (`203.0.113.7/24` becomes `203.0.113.0/24`), in the order given. Must include the address pulumi-devin calls from, or the next request is refused: the check catches that at preview when it can know the address (an API on this machine).",
    },
    adoptIdField('Manage a list already set outside this stack: "ip-access-list". Read only when the resource is created.'),
  ],
};
