/**
 * The schedule rules the API enforces, checked at preview so that a bad schedule fails before any call: a standard
 * 5-field cron expression (evaluated in UTC) and an ISO-8601 time with a timezone.
 */

const FIELDS = [
  { name: "minute", range: [0, 59] },
  { name: "hour", range: [0, 23] },
  { name: "day of month", range: [1, 31] },
  { name: "month", range: [1, 12], names: "jan feb mar apr may jun jul aug sep oct nov dec".split(" ") },
  { name: "day of week", range: [0, 7], names: "sun mon tue wed thu fri sat".split(" ") },
] as const;

type CronField = (typeof FIELDS)[number];

function number(text: string, field: CronField): number | undefined {
  const names: readonly string[] | undefined = "names" in field ? field.names : undefined;
  const named = names?.indexOf(text.toLowerCase()) ?? -1;
  const value = named >= 0 ? field.range[0] + named : /^\d+$/.test(text) ? Number(text) : NaN;
  return value >= field.range[0] && value <= field.range[1] ? value : undefined;
}

/** `*`, `5`, `1-5`, `*\/15`, `1-30/5`, `mon-fri`: one comma-separated item of a field. */
function validItem(item: string, field: CronField): boolean {
  const [range, step, ...extra] = item.split("/");
  if (extra.length > 0 || (step !== undefined && !/^[1-9]\d*$/.test(step))) return false;
  if (range === "*") return true;
  const ends = range.split("-");
  if (ends.length > 2) return false;
  const values = ends.map((e) => number(e, field));
  if (values.some((v) => v === undefined)) return false;
  return values.length === 1 || (values[0] as number) <= (values[1] as number);
}

/** Why `expression` is not a standard 5-field cron expression, or undefined when it is one. */
export function cronProblem(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/).filter(Boolean);
  if (parts.length !== 5) {
    return `'${expression}' has ${parts.length} field${parts.length === 1 ? "" : "s"}; a cron expression has 5: minute hour day-of-month month day-of-week (UTC), such as '0 9 * * 1' (Mondays 09:00 UTC)`;
  }
  for (const [i, field] of FIELDS.entries()) {
    if (!parts[i].split(",").every((item) => validItem(item, field))) {
      return `the ${field.name} field '${parts[i]}' of '${expression}' is not valid (allowed: ${field.range[0]}-${field.range[1]}${"names" in field ? " or names" : ""}, '*', ranges a-b, steps /n, lists with ',')`;
    }
  }
  return undefined;
}

/** An ISO-8601 time with a timezone (`2026-12-01T09:00:00Z`, `...+02:00`), as unix milliseconds; undefined otherwise. */
export function parseIsoTime(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
