import { ipAccessList as schema } from "../schema/ipAccessList";
import { toWire } from "../schema/wire";
import { canonicalRange, rangeContains } from "./cidr";
import type { CheckFailure } from "./check";
import type { DevinClient } from "./client";
import { isOffline } from "./offline";
import { resolveSettings } from "./settings";
import { singletonLifecycle } from "./singletonLifecycle";
import { defined, isUnknown } from "./values";

export const ipAccessListPaths = {
  ipAccessList: "/v3/enterprise/ip-access-list",
} as const;

export interface ApiIpAccessList {
  ip_ranges: string[];
}

/** The enterprise's one IP access list. */
export const IP_ACCESS_LIST_ID = "ip-access-list";

export interface IpAccessListInputs {
  ipRanges: string[];
  adoptId?: string;
}

export interface IpAccessListOutputs {
  schemaVersion: number;
  ipRanges: string[];
  adoptId?: string;
}

/** The address this process calls the API from, when it can know it: the loopback address of a local API. */
function callerAddresses(): string[] | undefined {
  // The program's process knows no settings: the provider's check makes this test.
  if (isOffline()) return undefined;
  try {
    const host = new URL(resolveSettings().baseUrl).hostname.replace(/^\[|\]$/g, "");
    if (host === "localhost") return ["127.0.0.1", "::1"];
    if (/^127\./.test(host)) return [host];
    if (host === "::1") return ["::1"];
  } catch {
    // no settings: settingsProblem() reports it
  }
  return undefined;
}

function checkRanges(value: unknown): { failures: CheckFailure[]; ranges?: string[] } {
  if (isUnknown(value)) return { failures: [] };
  if (!Array.isArray(value))
    return { failures: [{ property: "ipRanges", reason: "ipRanges must be a list of CIDR ranges, such as ['203.0.113.0/24']." }] };
  const found: CheckFailure[] = [];
  const ranges: string[] = [];
  value.forEach((r, i) => {
    if (isUnknown(r)) return;
    const canonical = typeof r === "string" ? canonicalRange(r) : undefined;
    if (!canonical)
      found.push({
        property: `ipRanges[${i}]`,
        reason: `'${String(r)}' is not an IPv4 or IPv6 address or CIDR range, such as '203.0.113.0/24' or '2001:db8::/32'.`,
      });
    else if (!ranges.includes(canonical)) ranges.push(canonical);
  });
  const callers = callerAddresses();
  if (found.length === 0 && callers && ranges.length > 0 && !callers.some((a) => ranges.some((r) => rangeContains(r, a)))) {
    found.push({
      property: "ipRanges",
      reason:
        `this list would lock out pulumi-devin itself: it calls the API from ${callers.join(" or ")}, which no range includes, and ` +
        "the list applies from the very next request. Add that address (for example '127.0.0.1/32').",
    });
  }
  return { failures: found, ranges };
}

/** The enterprise's IP access list as the API has it. */
export async function readIpAccessList(client: DevinClient, operation: string): Promise<ApiIpAccessList> {
  return (await client.call<ApiIpAccessList>({ method: "GET", path: ipAccessListPaths.ipAccessList }, { operation })).body;
}

/**
 * The enterprise's IP access list: once it is not empty, the API answers only requests from these ranges. The
 * resource owns the whole list (create and update replace it, delete clears it). Ranges are kept in their canonical
 * form, in the order given, without duplicates.
 */
export const ipAccessList = singletonLifecycle<IpAccessListInputs, ApiIpAccessList, IpAccessListOutputs>({
  schema,
  key: () => IP_ACCESS_LIST_ID,
  what: () => "the IP access list",
  check(_olds, news) {
    const ranges = checkRanges(news.ipRanges);
    return {
      inputs: defined({ ipRanges: ranges.ranges ?? (news.ipRanges as string[]) }),
      failures: ranges.failures,
    };
  },
  get: (client, _key, operation) => readIpAccessList(client, operation),
  isSet: (live) => live.ip_ranges.length > 0,
  existing: (_key, live) => `the enterprise already has an IP access list (${live.ip_ranges.join(", ")})`,
  put: (_key, inputs) => ({ method: "PUT", path: ipAccessListPaths.ipAccessList, body: toWire(schema.fields, inputs) }),
  clear: () => ({ method: "DELETE", path: ipAccessListPaths.ipAccessList }),
});
