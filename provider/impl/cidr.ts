import { isIPv4, isIPv6 } from "node:net";

/**
 * CIDR ranges in the canonical form the API stores (an address with its host bits cleared, and a prefix length), so
 * that what the program declares is what a refresh reads back: `203.0.113.7/24` is `203.0.113.0/24`, a bare address
 * is `/32` (or `/128`).
 */

type Parsed = { version: 4 | 6; bits: bigint; prefix: number };

function parseV6(address: string): bigint {
  const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  let words = groups(head);
  if (tail !== undefined) {
    const rest = groups(tail);
    words = [...words, ...Array<string>(8 - words.length - rest.length).fill("0"), ...rest];
  }
  return words.reduce((acc, w) => (acc << 16n) | BigInt(parseInt(w, 16)), 0n);
}

function parse(range: string): Parsed | undefined {
  const [address, prefixText, extra] = range.trim().split("/");
  if (extra !== undefined) return undefined;
  const version = isIPv4(address) ? 4 : isIPv6(address) && !address.includes(".") ? 6 : undefined;
  if (!version) return undefined;
  const width = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? width : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= width)) return undefined;
  const bits = version === 4 ? address.split(".").reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n) : parseV6(address);
  const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - prefix)) - 1n);
  return { version, bits: bits & mask, prefix };
}

function format({ version, bits, prefix }: Parsed): string {
  if (version === 4) return `${[24n, 16n, 8n, 0n].map((s) => String((bits >> s) & 255n)).join(".")}/${prefix}`;
  const words = Array.from({ length: 8 }, (_, i) => Number((bits >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of two or more zero words becomes "::" (RFC 5952).
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = words.map((w) => w.toString(16));
  const text = best.at < 0 ? hex.join(":") : `${hex.slice(0, best.at).join(":")}::${hex.slice(best.at + best.length).join(":")}`;
  return `${text}/${prefix}`;
}

/** The canonical form of a range, or undefined when it is not an IPv4 or IPv6 address or CIDR range. */
export function canonicalRange(range: string): string | undefined {
  const parsed = parse(range);
  return parsed && format(parsed);
}

/** Whether an address (no prefix) lies in a range. */
export function rangeContains(range: string, address: string): boolean {
  const r = parse(range);
  const a = parse(address);
  if (!r || !a || r.version !== a.version || a.prefix !== (a.version === 4 ? 32 : 128)) return false;
  const width = r.version === 4 ? 32 : 128;
  const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - r.prefix)) - 1n);
  return (a.bits & mask) === r.bits;
}
