import { describe, expect, it } from "vitest";
import { isAllowed, normaliseRanges, parseNetwork } from "../../emulator/ipRanges";

describe("IP range normalisation (as Python's ip_network with strict=False)", () => {
  it.each([
    ["203.0.113.7/24", "203.0.113.0/24"],
    ["203.0.113.7", "203.0.113.7/32"],
    ["10.1.2.3/8", "10.0.0.0/8"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["192.168.0.1/32", "192.168.0.1/32"],
    ["2001:DB8::1/64", "2001:db8::/64"],
    ["2001:db8:0:0:0:0:0:1", "2001:db8::1/128"],
    ["::", "::/128"],
    ["::1", "::1/128"],
    ["::/0", "::/0"],
    ["1:0:0:1:0:0:0:1", "1:0:0:1::1/128"],
    ["fe80:0:0:0:1:0:0:1", "fe80::1:0:0:1/128"],
    ["1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0/128"],
    ["::ffff:192.0.2.1", "::ffff:c000:201/128"],
    // RFC 5952 4.2.2: a single zero group is never "::".
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1/128"],
    ["2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1/128"],
    ["0:1:2:3:4:5:6:7", "0:1:2:3:4:5:6:7/128"],
    ["1:0:2:0:3:0:4:0", "1:0:2:0:3:0:4:0/128"],
    // 4.2.3: the longest run, the first of equal ones.
    ["2001:0DB8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1/128"],
    ["2001:0:0:1:0:0:0:1", "2001:0:0:1::1/128"],
    ["2001:db8:0:1:ffff::/48", "2001:db8::/48"],
    ["2001:db8::ffff/120", "2001:db8::ff00/120"],
    ["10.1.2.3/008", "10.0.0.0/8"],
    ["1.2.3.4/255.255.255.0", "1.2.3.0/24"],
    ["1.2.3.4/0.0.0.255", "1.2.3.0/24"],
    ["1.2.3.4/255.255.255.255", "1.2.3.4/32"],
  ])("%s becomes %s", (entry, canonical) => {
    expect(normaliseRanges([entry])).toEqual({ ranges: [canonical] });
  });

  it.each([
    "",
    "300.1.1.1",
    "1.2.3",
    "1.2.3.4.5",
    "01.2.3.4",
    "1.2.3.4/33",
    "1.2.3.4/",
    "1.2.3.4/-1",
    "1.2.3.4/a",
    " 1.2.3.4",
    "1.2.3.4/255.0.255.0",
    "::1/ffff::",
    "::1::2",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7:8::",
    ":1",
    "12345::",
    "fe80::1%eth0",
    "::1/129",
    "example.com",
  ])("refuses %j", (entry) => {
    expect(parseNetwork(entry)).toBeNull();
  });

  it("dedupes after normalising and keeps the first-seen order; reports every invalid index", () => {
    expect(normaliseRanges(["10.0.0.9/8", "192.0.2.1", "10.0.0.0/8", "192.0.2.1/32"])).toEqual({ ranges: ["10.0.0.0/8", "192.0.2.1/32"] });
    expect(normaliseRanges(["10.0.0.0/8", "nope", "1.2.3.4/40"])).toEqual({ invalid: [1, 2] });
  });
});

describe("IP address matching", () => {
  it("matches addresses inside a range of the same family only", () => {
    expect(isAllowed(["203.0.113.0/24"], "203.0.113.200")).toBe(true);
    expect(isAllowed(["203.0.113.0/24"], "203.0.114.1")).toBe(false);
    expect(isAllowed(["127.0.0.1/32"], "127.0.0.1")).toBe(true);
    expect(isAllowed(["0.0.0.0/0"], "8.8.8.8")).toBe(true);
    expect(isAllowed(["::/0"], "8.8.8.8")).toBe(false);
    expect(isAllowed(["2001:db8::/32"], "2001:db8:1::5")).toBe(true);
    expect(isAllowed(["2001:db8::/32"], "2001:db9::5")).toBe(false);
    expect(isAllowed([], "127.0.0.1")).toBe(false);
    expect(isAllowed(["0.0.0.0/0"], "not-an-ip")).toBe(false);
  });

  it("treats an IPv4-mapped IPv6 address as its IPv4 form", () => {
    expect(isAllowed(["127.0.0.0/8"], "::ffff:127.0.0.1")).toBe(true);
    expect(isAllowed(["10.0.0.0/8"], "::ffff:127.0.0.1")).toBe(false);
  });
});
