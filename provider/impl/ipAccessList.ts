import { paths, type IpAccessList } from "./api";
import { canonicalRange, rangeContains } from "./cidr";
import { failures, type CheckFailure } from "./check";
import { apiClient } from "./client";
import { createOnce } from "./createOnce";
import { adoptTargetMissingError, existingSingletonError } from "./errors";
import { SCHEMA_VERSION, type Lifecycle } from "./lifecycle";
import { isOffline } from "./offline";
import { resolveSettings, settingsProblem } from "./settings";
import { defined, isUnknown } from "./values";

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

/**
 * The enterprise's IP access list: once it is not empty, the API answers only requests from these ranges. The
 * resource owns the whole list (create and update replace it, delete clears it). Ranges are kept in their canonical
 * form, in the order given, without duplicates.
 */
export const ipAccessList: Lifecycle<IpAccessListInputs, IpAccessListOutputs> = {
  async check(_olds, news) {
    const ranges = checkRanges(news.ipRanges);
    const found = [...ranges.failures, ...failures([["", settingsProblem()]])];
    return {
      inputs: defined({ ipRanges: ranges.ranges ?? (news.ipRanges as string[]), adoptId: news.adoptId ?? undefined }),
      failures: found,
    };
  },

  async diff(_id, olds, news) {
    return {
      changes: isUnknown(news.ipRanges) || JSON.stringify(olds.ipRanges) !== JSON.stringify(news.ipRanges),
      replaces: [],
      deleteBeforeReplace: false,
    };
  },

  async create(inputs) {
    const client = apiClient();
    const operation = "set the IP access list";
    const outs = (list: IpAccessList) => defined({ schemaVersion: SCHEMA_VERSION, ipRanges: list.ip_ranges, adoptId: inputs.adoptId });
    const put = { method: "PUT" as const, path: paths.ipAccessList, body: { ip_ranges: inputs.ipRanges } };
    const result = await createOnce<IpAccessList, IpAccessListOutputs>({
      client,
      operation,
      adoptId: inputs.adoptId,
      fetch: async (id) =>
        id === IP_ACCESS_LIST_ID
          ? (await client.call<IpAccessList>({ method: "GET", path: paths.ipAccessList }, { operation })).body
          : undefined,
      sameKey: async () => {
        const live = (await client.call<IpAccessList>({ method: "GET", path: paths.ipAccessList }, { operation })).body;
        return live.ip_ranges.length > 0 ? [live] : [];
      },
      idOf: () => IP_ACCESS_LIST_ID,
      madeSince: () => true,
      post: put,
      created: (answer) => outs(answer as IpAccessList),
      takeOver: async () => outs((await client.call<IpAccessList>(put, { operation })).body),
      refuse: ([live]) =>
        existingSingletonError(operation, `the enterprise already has an IP access list (${live.ip_ranges.join(", ")})`, IP_ACCESS_LIST_ID),
      missing: (id) => adoptTargetMissingError(operation, id),
    });
    return { id: IP_ACCESS_LIST_ID, outs: result };
  },

  async read(id, props) {
    const live = (
      await apiClient().call<IpAccessList>({ method: "GET", path: paths.ipAccessList }, { operation: "read the IP access list" })
    ).body;
    const outs = defined({ schemaVersion: SCHEMA_VERSION, ipRanges: live.ip_ranges, adoptId: props?.adoptId });
    return { id, props: outs, inputs: { ipRanges: live.ip_ranges } as unknown as IpAccessListOutputs };
  },

  async update(_id, olds, news) {
    const live = (
      await apiClient().call<IpAccessList>(
        { method: "PUT", path: paths.ipAccessList, body: { ip_ranges: news.ipRanges } },
        { operation: "set the IP access list" },
      )
    ).body;
    return { outs: defined({ schemaVersion: SCHEMA_VERSION, ipRanges: live.ip_ranges, adoptId: olds.adoptId }) };
  },

  async delete() {
    await apiClient().call({ method: "DELETE", path: paths.ipAccessList }, { operation: "clear the IP access list", allow: [404] });
  },
};
