import type { ResourceSchema } from "../schema/types";
import { UNKNOWN } from "../impl/values";
import { KIND } from "../impl/lifecycle";

/**
 * Property bags as they cross the plugin's gRPC boundary. The plugin tells the engine it accepts secrets, so a secret
 * input arrives wrapped (Pulumi's secret signature with a `value`), and a secret output is only secret if the plugin
 * wraps it: the lifecycles see plain values, and everything the engine gets back is wrapped again here.
 */

type Props = Record<string, unknown>;

/** Pulumi's special-signature key and the signature of a secret (`@pulumi/pulumi` runtime/rpc.ts). */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

function isSecret(value: unknown): value is { value: unknown } {
  return value !== null && typeof value === "object" && (value as Props)[SIG] === SECRET;
}

function unwrap(value: unknown): unknown {
  if (isSecret(value)) return unwrap(value.value);
  if (Array.isArray(value)) return value.map(unwrap);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
  return value;
}

function containsSecret(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsSecret);
  return false;
}

/** The plain values of a bag, and the names of its top-level properties that were secret anywhere inside. */
export function reveal(bag: Props | undefined): { values: Props; secrets: Set<string> } {
  const values: Props = {};
  const secrets = new Set<string>();
  for (const [k, v] of Object.entries(bag ?? {})) {
    if (containsSecret(v)) secrets.add(k);
    values[k] = unwrap(v);
  }
  return { values, secrets };
}

/**
 * The bag the engine gets: without the implementation's own markers (`__kind`, which the type token already says),
 * without undefined values (the struct conversion rejects them), and with each secret property wrapped: those the
 * table marks secret, and those that came in secret.
 */
export function conceal(table: ResourceSchema, bag: Props | undefined, secrets: ReadonlySet<string> = new Set()): Props {
  const out: Props = {};
  const secretFields = new Set(table.fields.filter((f) => f.secret).map((f) => f.name));
  for (const [k, v] of Object.entries(bag ?? {})) {
    if (k === KIND || k === "__provider" || v === undefined) continue;
    const plain = JSON.parse(JSON.stringify(v)) as unknown;
    out[k] = (secretFields.has(k) || secrets.has(k)) && v !== null && v !== UNKNOWN ? { [SIG]: SECRET, value: plain } : plain;
  }
  return out;
}

/** The bag with the resource type the implementation dispatches on. */
export const withKind = (kind: string, bag: Props): Props => ({ ...bag, [KIND]: kind });

/**
 * The type and name a URN names: `urn:pulumi:<stack>::<project>::<parent types$>type::<name>`. The name may hold
 * `::` itself, so everything after the type is the name.
 */
export function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const types = parts[2] ?? "";
  return { type: types.slice(types.lastIndexOf("$") + 1), name: parts.slice(3).join("::") };
}
