/**
 * Reads what `pulumi preview --json` prints, in either of its two forms: the one JSON document it prints by default,
 * or the stream of engine events it prints, one JSON object a line, with `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true`.
 * Only the stream carries policy violations: the CLI leaves them out of the document (pkg/backend/display/json.go,
 * "we don't handle policy events in JSON serialization"), which then says only "preview failed".
 */

/** A resource's inputs or outputs, as the preview shows them. */
export type Inputs = Record<string, unknown>;

/** A resource's state as a step shows it. */
export interface PreviewState {
  type?: string;
  id?: string;
  inputs?: Inputs;
  outputs?: Inputs;
  /** The URNs each input's value comes from: names a referenced object whose id is not known yet. */
  propertyDependencies?: Record<string, string[]>;
}

export interface PreviewStep {
  op: string;
  urn: string;
  oldState?: PreviewState;
  newState?: PreviewState;
  replaceReasons?: string[];
}

export interface PreviewDiagnostic {
  message?: string;
  severity?: string;
  urn?: string;
}

/** A policy a resource (or the stack) breaks. */
export interface PolicyViolation {
  policy: string;
  pack: string;
  /** mandatory, advisory (shown by the CLI as "warning" in events), remediate, disabled. */
  level: string;
  urn?: string;
  message: string;
}

export interface Preview {
  steps: PreviewStep[];
  diagnostics: PreviewDiagnostic[];
  /** Always empty for the JSON document, which cannot hold them. */
  policies: PolicyViolation[];
  /** The input was the event stream, which lists policy violations. */
  events: boolean;
}

const HOW = "make it with 'pulumi preview --json > preview.json' (PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true adds policy violations)";

/** The input is not a preview: one line saying what was expected and how to make it. */
export class NotAPreviewError extends Error {
  constructor(what: string) {
    super(`review expects the output of 'pulumi preview --json', but ${what}; ${HOW}.`);
    this.name = "NotAPreviewError";
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

interface StepMetadata {
  op?: string;
  urn?: string;
  old?: PreviewState | null;
  new?: PreviewState | null;
  keys?: string[];
}

function fromEvents(events: Record<string, unknown>[]): Preview {
  const preview: Preview = { steps: [], diagnostics: [], policies: [], events: true };
  for (const e of events) {
    const pre = e.resourcePreEvent as { metadata?: StepMetadata } | undefined;
    const m = pre?.metadata;
    if (m?.op && m.urn) {
      preview.steps.push({ op: m.op, urn: m.urn, oldState: m.old ?? undefined, newState: m.new ?? undefined, replaceReasons: m.keys });
    }
    const diag = e.diagnosticEvent as
      { prefix?: string; message?: string; severity?: string; urn?: string; ephemeral?: boolean } | undefined;
    if (diag && diag.severity !== "debug" && !diag.ephemeral) {
      preview.diagnostics.push({ message: `${diag.prefix ?? ""}${diag.message ?? ""}`, severity: diag.severity, urn: diag.urn });
    }
    const policy = e.policyEvent as
      { resourceUrn?: string; message?: string; policyName?: string; policyPackName?: string; enforcementLevel?: string } | undefined;
    if (policy?.policyName) {
      preview.policies.push({
        policy: policy.policyName,
        pack: policy.policyPackName ?? "",
        level: policy.enforcementLevel === "warning" ? "advisory" : (policy.enforcementLevel ?? "mandatory"),
        urn: policy.resourceUrn || undefined,
        message: policy.message ?? "",
      });
    }
  }
  return preview;
}

/** An engine event: a sequence number and one payload named `<something>Event`. */
const isEvent = (v: unknown) => isObject(v) && typeof v.sequence === "number" && Object.keys(v).some((k) => k.endsWith("Event"));

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/**
 * Reads a preview, or throws {@link NotAPreviewError}: empty input, text, or JSON of another shape (`{"foo":1}` is
 * not a preview with no changes). Some CLI versions print a line of text before the document; it is skipped.
 */
export function parsePreview(text: string): Preview {
  if (text.trim() === "") throw new NotAPreviewError("the input is empty");
  const lines = text.split(/\r?\n/).filter((l) => l.trim().startsWith("{"));
  const events = lines.map(parseLine);
  if (events.length > 1 && events.every(isEvent)) return fromEvents(events as Record<string, unknown>[]);

  const start = text.indexOf("{");
  if (start < 0) throw new NotAPreviewError("the input holds no JSON object");
  let doc: unknown;
  try {
    doc = JSON.parse(text.slice(start));
  } catch (e) {
    throw new NotAPreviewError(`the input is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const steps = isObject(doc) ? doc.steps : undefined;
  const diagnostics = isObject(doc) ? doc.diagnostics : undefined;
  const known = isObject(doc) && (Array.isArray(steps) || Array.isArray(diagnostics) || isObject(doc.changeSummary));
  const wellFormed =
    known &&
    (steps === undefined ||
      (Array.isArray(steps) && steps.every((s) => isObject(s) && typeof s.op === "string" && typeof s.urn === "string")));
  if (!wellFormed) {
    const keys = isObject(doc) ? Object.keys(doc).slice(0, 5) : [];
    throw new NotAPreviewError(
      isObject(doc)
        ? `the JSON has ${keys.length ? `only the keys ${keys.join(", ")}` : "no keys"}, and no "steps" of resources`
        : "the JSON is not an object",
    );
  }
  return {
    steps: (steps as PreviewStep[] | undefined) ?? [],
    diagnostics: Array.isArray(diagnostics) ? (diagnostics as PreviewDiagnostic[]) : [],
    policies: [],
    events: false,
  };
}
