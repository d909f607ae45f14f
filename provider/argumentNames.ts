/**
 * Argument names and the messages about them, shared by the dynamic classes (checked in the program, args.ts) and the
 * provider plugin (checked in the provider, plugin/server.ts). No Pulumi SDK here: the plugin starts without loading it.
 */

/** The API's snake_case names (and the stale usage examples' names) that users may carry over, by provider name. */
const KNOWN_ALIASES: Record<string, string> = {
  acu_limit: "acuLimit",
  max_cycle_acu_limit: "acuLimit",
  maxCycleAcuLimit: "acuLimit",
  cycle_acu_limit: "acuLimit",
  max_session_acu_limit: "maxSessionAcuLimit",
  org_id: "orgId",
  role_id: "role",
  roleId: "role",
  ttl_seconds: "ttlSeconds",
  display_name: "name",
};

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The accepted argument a mistyped or snake_case key most likely meant, if any is close enough. */
export function suggestArgument(key: string, accepted: readonly string[]): string | undefined {
  const alias = KNOWN_ALIASES[key];
  if (alias && accepted.includes(alias)) return alias;
  const camel = key.replace(/[_-]+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
  const lower = (s: string) => s.toLowerCase();
  const exact = accepted.find((k) => lower(k) === lower(camel));
  if (exact) return exact;
  let best: { key: string; distance: number } | undefined;
  for (const candidate of accepted) {
    const distance = editDistance(lower(camel), lower(candidate));
    if (distance <= Math.max(2, Math.floor(candidate.length / 3)) && (!best || distance < best.distance))
      best = { key: candidate, distance };
  }
  return best?.key;
}

/** The message for argument names a resource or function does not have, each with the accepted name it most likely meant. */
export function unknownArgumentsMessage(subject: string, unknown: readonly string[], accepted: readonly string[]): string {
  const described = unknown.map((k) => {
    const suggestion = suggestArgument(k, accepted);
    return suggestion ? `'${k}' (did you mean '${suggestion}'?)` : `'${k}'`;
  });
  return (
    `${subject} has unknown argument${unknown.length > 1 ? "s" : ""} ${described.join(", ")}. ` +
    `Its arguments are: ${accepted.join(", ")}.`
  );
}

/** The message for two resources of one program that declare the same natural key (`describe` says which). */
export function naturalKeyClashMessage(type: string, name: string, holder: string, describe: string): string {
  return (
    `${type} '${name}' and ${type} '${holder}' both declare ${describe}. Devin does not keep names unique, so ` +
    "this would create two objects that nobody can tell apart. Give one of them another name, or declare it once."
  );
}
