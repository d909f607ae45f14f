/**
 * IP addresses and CIDR ranges for the enterprise IP access list: parsing as Python's `ipaddress.ip_network(text,
 * strict=False)` does (host bits are dropped, a bare address is a /32 or /128), canonical text, and membership.
 */

export interface IpNetwork {
  version: 4 | 6;
  /** The network address, host bits cleared. */
  address: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function parseIPv4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    // Leading zeros are refused, as Python does since 3.9.5: `010` could be read as octal.
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return null;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIPv6(text: string): bigint | null {
  if (text.includes("%")) return null; // zone ids name an interface, not a network
  let groups = text;
  const lastColon = text.lastIndexOf(":");
  const last = text.slice(lastColon + 1);
  if (last.includes(".")) {
    // An embedded IPv4 address (::ffff:1.2.3.4) is the last two groups written in dotted form.
    const v4 = parseIPv4(last);
    if (v4 === null) return null;
    groups = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = groups.split("::");
  if (halves.length > 2) return null;
  const side = (s: string): bigint[] | null => {
    if (s === "") return [];
    const out: bigint[] = [];
    for (const g of s.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(BigInt(`0x${g}`));
    }
    return out;
  };
  const head = side(halves[0]);
  const rest = halves.length === 2 ? side(halves[1]) : [];
  if (head === null || rest === null) return null;
  const explicit = head.length + rest.length;
  let all: bigint[];
  if (halves.length === 2) {
    // "::" stands for at least one group of zeros.
    if (explicit > 7) return null;
    all = [...head, ...Array<bigint>(8 - explicit).fill(0n), ...rest];
  } else {
    if (explicit !== 8) return null;
    all = head;
  }
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** An address without a prefix; null when it is neither IPv4 nor IPv6. */
export function parseAddress(text: string): { version: 4 | 6; value: bigint } | null {
  const v4 = parseIPv4(text);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = text.includes(":") ? parseIPv6(text) : null;
  return v6 === null ? null : { version: 6, value: v6 };
}

/** A prefix length, or for IPv4 also a netmask (255.255.255.0) or hostmask (0.0.0.255), as Python accepts. */
function parsePrefix(text: string, version: 4 | 6): number | null {
  const bits = BITS[version];
  if (/^\d+$/.test(text)) return Number(text) <= bits ? Number(text) : null;
  const mask = version === 4 ? parseIPv4(text) : null;
  if (mask === null) return null;
  const ones = mask.toString(2).replace(/0/g, "").length;
  const netmask = ((1n << BigInt(ones)) - 1n) << BigInt(32 - ones);
  if (mask === netmask) return ones;
  if (mask === (1n << BigInt(ones)) - 1n) return 32 - ones;
  return null;
}

/** `addr[/prefix]` with the host bits cleared (strict=False); null when it is not a network. */
export function parseNetwork(text: string): IpNetwork | null {
  const slash = text.indexOf("/");
  const addr = parseAddress(slash === -1 ? text : text.slice(0, slash));
  if (!addr) return null;
  const bits = BITS[addr.version];
  const prefix = slash === -1 ? bits : parsePrefix(text.slice(slash + 1), addr.version);
  if (prefix === null) return null;
  const hostBits = BigInt(bits - prefix);
  return { version: addr.version, address: (addr.value >> hostBits) << hostBits, prefix };
}

function formatIPv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(16 * (7 - i))) & 0xffffn));
  // RFC 5952: the longest run of two or more zero groups (the first of equals) becomes "::".
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.length < 2) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
}

export function formatNetwork(n: IpNetwork): string {
  const text = n.version === 4 ? [24n, 16n, 8n, 0n].map((shift) => String((n.address >> shift) & 0xffn)).join(".") : formatIPv6(n.address);
  return `${text}/${n.prefix}`;
}

/**
 * Canonical, deduplicated ranges in first-seen order, or the indexes of the entries that are not networks.
 */
export function normaliseRanges(entries: readonly string[]): { ranges: string[] } | { invalid: number[] } {
  const invalid: number[] = [];
  const ranges: string[] = [];
  entries.forEach((entry, i) => {
    const network = parseNetwork(entry);
    if (!network) invalid.push(i);
    else ranges.push(formatNetwork(network));
  });
  return invalid.length > 0 ? { invalid } : { ranges: [...new Set(ranges)] };
}

function contains(n: IpNetwork, version: 4 | 6, value: bigint): boolean {
  if (n.version !== version) return false;
  const hostBits = BigInt(BITS[version] - n.prefix);
  return value >> hostBits === n.address >> hostBits;
}

const V4_MAPPED = 0xffffn << 32n;

/** Whether `address` falls in one of `ranges`; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) counts as its IPv4 form. */
export function isAllowed(ranges: readonly string[], address: string): boolean {
  const addr = parseAddress(address);
  if (!addr) return false;
  const forms = [addr];
  if (addr.version === 6 && addr.value >> 32n === V4_MAPPED >> 32n) forms.push({ version: 4, value: addr.value & 0xffffffffn });
  return ranges.some((r) => {
    const n = parseNetwork(r);
    return n !== null && forms.some((f) => contains(n, f.version, f.value));
  });
}
