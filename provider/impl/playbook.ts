import { enterprisePlaybook as enterpriseTable } from "../schema/enterprisePlaybook";
import { playbook as orgTable } from "../schema/playbook";
import { seg } from "./api";
import { checkOptionalText, checkRequiredOrgId, checkText, failures, type CheckFailure } from "./check";
import { duplicateObjectError } from "./errors";
import { type CommonOutputs, levelled, noneAsNull, objectLifecycle, requestBody, type Scope, scopeOf } from "./objectLifecycle";
import { declaredArguments, isUnknown, UNKNOWN } from "./values";

export const playbookPaths = {
  /** Playbooks: `orgId` null is the enterprise level, whose list also shows every org's playbooks. */
  playbooks: (orgId: string | null) => (orgId ? `/v3/organizations/${seg(orgId)}/playbooks` : "/v3/enterprise/playbooks"),
  playbook: (orgId: string | null, playbookId: string) =>
    orgId ? `/v3/organizations/${seg(orgId)}/playbooks/${seg(playbookId)}` : `/v3/enterprise/playbooks/${seg(playbookId)}`,
} as const;

export interface ApiPlaybook {
  playbook_id: string;
  title: string;
  body: string;
  macro: string | null;
  structured_output_schema?: Record<string, unknown> | null;
  created_by: string;
  updated_by: string;
  created_at: number;
  updated_at: number;
  access_type: "enterprise" | "org";
  org_id: string | null;
}

/**
 * Playbooks, in an org (`Playbook`) or at the enterprise level (`EnterprisePlaybook`): one lifecycle for both, since
 * only the paths differ. PUT needs the title and body and keeps an optional field it is not sent, so every update
 * sends every field, with null for "none".
 */

export interface PlaybookInputs {
  /** Absent for an enterprise playbook. */
  orgId?: string;
  title: string;
  body: string;
  macro?: string;
  structuredOutputSchema?: Record<string, unknown>;
  adoptId?: string;
}

export interface PlaybookOutputs extends CommonOutputs {
  playbookId: string;
  orgId?: string;
  title: string;
  body: string;
  macro: string | null;
  structuredOutputSchema: Record<string, unknown> | null;
  createdBy: string;
  updatedBy: string;
  createdAt: number;
  updatedAt: number;
}

/** The API's limit on a structured output schema. */
const MAX_SCHEMA_BYTES = 64 * 1024;
const MACRO = /^![A-Za-z0-9_-]+$/;

/** Key order means nothing in a JSON schema, so two schemas are the same when their sorted forms are. */
function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(value ?? null));
}

/** `$ref`s that leave the schema: the API takes only self-contained schemas. */
function externalRefs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(externalRefs);
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => (k === "$ref" && typeof v === "string" && !v.startsWith("#") ? [v] : externalRefs(v)));
}

function checkSchema(value: unknown): string | undefined {
  if (value === undefined || value === null || isUnknown(value)) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    return "structuredOutputSchema must be a JSON Schema object such as { type: 'object', properties: {...} }; to load one from a file, use JSON.parse(fs.readFileSync(path, 'utf8')).";
  }
  if (JSON.stringify(value).includes(UNKNOWN)) return undefined;
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > MAX_SCHEMA_BYTES) return `structuredOutputSchema is ${bytes} bytes as JSON; the API allows at most 64 KB. Shorten it.`;
  const refs = externalRefs(value);
  if (refs.length > 0)
    return `structuredOutputSchema must be self-contained, but it refers to ${refs.map((r) => `'${r}'`).join(", ")}; inline those definitions under $defs and refer to them as '#/$defs/...'.`;
  return undefined;
}

function checkPlaybook(level: "org" | "enterprise", news: Partial<PlaybookInputs>): CheckFailure[] {
  return failures([
    ["orgId", level === "org" ? checkRequiredOrgId(news.orgId, "the playbook") : undefined],
    ["title", checkText("title", news.title, "the playbook's title")],
    ["body", checkText("body", news.body, "the playbook's instructions (load them from a Markdown file with fs.readFileSync)")],
    [
      "macro",
      checkOptionalText("macro", news.macro, "a macro such as '!deploy'") ??
        (typeof news.macro === "string" && !isUnknown(news.macro) && !MACRO.test(news.macro)
          ? `macro '${news.macro}' must be '!' followed by letters, digits, '_' or '-', such as '!deploy_check'.`
          : undefined),
    ],
    ["structuredOutputSchema", checkSchema(news.structuredOutputSchema)],
  ]);
}

function lifecycleFor(level: "org" | "enterprise") {
  const table = level === "org" ? orgTable : enterpriseTable;
  const where = (scope: Scope) => (scope ? ` in ${scope}` : " at the enterprise level");
  const noun = level === "org" ? "playbook" : "enterprise playbook";
  // Optional fields go as null when left out: PUT keeps an optional field it is not sent, and null is how to clear it.
  const body = (inputs: PlaybookInputs) => requestBody(table, noneAsNull(table, inputs));
  return objectLifecycle<PlaybookInputs, ApiPlaybook, PlaybookOutputs>({
    table,
    noun,
    idPrefix: "playbook",
    compare: { structuredOutputSchema: { same: (a, b) => canonicalJson(a) === canonicalJson(b) } },
    describe: (inputs) => `${noun} '${inputs.title}'${level === "org" ? ` in ${inputs.orgId}` : ""}`,
    check: (_olds, news) => ({
      inputs: declaredArguments(table, news),
      failures: checkPlaybook(level, news),
    }),
    ...levelled<ApiPlaybook>(
      level,
      table,
      { list: playbookPaths.playbooks, item: playbookPaths.playbook, key: "title" },
      (orgId) => `it is an org playbook of ${orgId}; declare it with Playbook and orgId '${orgId}'.`,
    ),
    refuse: (ids, inputs, operation) =>
      duplicateObjectError(
        operation,
        `a playbook titled '${inputs.title}'${where(scopeOf(inputs))}`,
        ids,
        level === "org" ? "Playbook" : "EnterprisePlaybook",
      ),
    post: (inputs) => ({ method: "POST", path: playbookPaths.playbooks(scopeOf(inputs)), body: body(inputs) }),
    update: async (client, id, olds, news, _changed, operation) =>
      (await client.call<ApiPlaybook>({ method: "PUT", path: playbookPaths.playbook(scopeOf(olds), id), body: body(news) }, { operation }))
        .body,
    itemPath: playbookPaths.playbook,
    // An org playbook the API answers without its org is still in the declared one.
    outputs: (p, known) => (level === "org" ? { orgId: p.orgId ?? known.orgId } : {}),
  });
}

export const playbook = lifecycleFor("org");
export const enterprisePlaybook = lifecycleFor("enterprise");
