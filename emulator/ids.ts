import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

/** `org-` / `service-user-` / ... followed by 32 lowercase hex characters, as the real API does. */
export function newId(prefix: string): string {
  return `${prefix}-${randomUUID().replace(/-/g, "")}`;
}

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** `cog_` + 52 base32 characters: the base32 form of 32 random bytes, the shape the official provider's tests use. */
export function newToken(): string {
  const bytes = randomBytes(32);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return `cog_${out}`;
}

/** Tokens are stored only as this hash, so a leaked state file leaks no credential. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A secret's value is kept only as `<salt>:<HMAC-SHA256>`, enough to tell whether a client sent the expected value. */
export function hashSecretValue(value: string, salt = randomBytes(16).toString("hex")): string {
  return `${salt}:${createHmac("sha256", salt).update(value).digest("hex")}`;
}

export function secretValueMatches(stored: string, value: string): boolean {
  const [salt] = stored.split(":");
  return timingSafeEqual(Buffer.from(hashSecretValue(value, salt)), Buffer.from(stored));
}

/**
 * The emulator's clock, in unix seconds. Tests move it forward through the control plane to expire service users
 * without waiting.
 */
export class Clock {
  private offsetSeconds = 0;
  now(): number {
    return Math.floor(Date.now() / 1000) + this.offsetSeconds;
  }
  advance(seconds: number): void {
    this.offsetSeconds += seconds;
  }
}
