/**
 * Standard 5-field cron expressions (minute hour day-of-month month day-of-week), as schedules take them: `*`, values,
 * ranges `a-b`, steps `*\/n`, `a/n` and `a-b/n`, lists with `,`, and month and weekday names. Nothing else
 * (`@daily`, `?`, `L`, `W`, `#`, a seconds field).
 */

interface CronField {
  name: string;
  min: number;
  max: number;
  /** Names standing for `min`, `min + 1`, ... */
  names?: readonly string[];
}

const FIELDS: readonly CronField[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
  // 0 and 7 are both Sunday.
  { name: "day-of-week", min: 0, max: 7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

function valueOf(text: string, field: CronField): number | null {
  const index = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (index !== -1) return field.min + index;
  if (!/^\d+$/.test(text)) return null;
  const value = Number(text);
  return value >= field.min && value <= field.max ? value : null;
}

function itemOk(item: string, field: CronField): boolean {
  const match = /^(\*|[^-/]+(?:-[^-/]+)?)(?:\/(\d+))?$/.exec(item);
  if (!match) return false;
  const [, range, step] = match;
  if (step !== undefined && Number(step) < 1) return false;
  if (range === "*") return true;
  const bounds = range.split("-").map((part) => valueOf(part, field));
  if (bounds.some((b) => b === null)) return false;
  return bounds.length === 1 || (bounds[0] as number) <= (bounds[1] as number);
}

/** What is wrong with `expression`; null when it is a valid standard cron expression. */
export function cronProblem(expression: string): string | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) {
    return `expected 5 fields (minute hour day-of-month month day-of-week), got ${expression.trim() === "" ? 0 : parts.length}`;
  }
  const bad = FIELDS.findIndex((field, i) => !parts[i].split(",").every((item) => itemOk(item, field)));
  return bad === -1 ? null : `invalid ${FIELDS[bad].name} field '${parts[bad]}'`;
}
