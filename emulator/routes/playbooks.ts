import Ajv from "ajv";
import type { FastifyInstance } from "fastify";
import { newId } from "../ids";
import { presentPlaybook } from "../presenters";
import { ApiError, unprocessable } from "../problem";
import type { PlaybookRecord } from "../records";
import { scopedRoutes } from "../scoped";
import type { Emulator } from "../store";

/** `!` and then letters, digits, `_` or `-`, as the API documents. */
const MACRO_PATTERN = "^![A-Za-z0-9_-]+$";
const MAX_SCHEMA_BYTES = 64 * 1024;

const playbookBody = {
  type: "object",
  required: ["title", "body"],
  properties: {
    title: { type: "string", minLength: 1 },
    body: { type: "string", minLength: 1 },
    macro: { type: ["string", "null"], pattern: MACRO_PATTERN },
    structured_output_schema: { type: ["object", "null"] },
  },
} as const;

interface PlaybookBody {
  title: string;
  body: string;
  macro?: string | null;
  structured_output_schema?: Record<string, unknown> | null;
}

/** Draft 7 is Ajv's default meta-schema; only the schema itself is checked, never compiled or run. */
const metaSchema = new Ajv({ strict: false, validateFormats: false });

/** A `$ref` that leaves the document (anything but `#...`), found anywhere in `value`. */
function externalRef(value: unknown): string | null {
  if (Array.isArray(value)) return value.map(externalRef).find((r) => r !== null) ?? null;
  if (typeof value !== "object" || value === null) return null;
  for (const [key, inner] of Object.entries(value)) {
    if (key === "$ref" && typeof inner === "string" && !inner.startsWith("#")) return inner;
    const found = externalRef(inner);
    if (found !== null) return found;
  }
  return null;
}

/** The rules the API documents for `structured_output_schema`: a Draft 7 JSON Schema, 64 KB at most, self-contained. */
function checkOutputSchema(schema: Record<string, unknown> | null | undefined): void {
  if (schema === null || schema === undefined) return;
  const loc = ["body", "structured_output_schema"];
  if (Buffer.byteLength(JSON.stringify(schema)) > MAX_SCHEMA_BYTES) throw unprocessable(loc, "must be 64 KB or less");
  let valid: unknown;
  try {
    valid = metaSchema.validateSchema(schema);
  } catch (e) {
    // Ajv throws for a `$schema` it does not know (another draft), which is not Draft 7 either.
    throw unprocessable(loc, `is not a Draft 7 JSON Schema: ${(e as Error).message}`);
  }
  if (valid !== true) throw unprocessable(loc, `is not a valid JSON Schema (Draft 7): ${metaSchema.errorsText(metaSchema.errors)}`);
  const ref = externalRef(schema);
  if (ref !== null) throw unprocessable(loc, `must be self-contained; '$ref: ${ref}' points outside the schema`);
}

/**
 * Playbooks (docs/api-notes.md section 18), at the enterprise level and in orgs. PUT needs `title` and `body`; an
 * omitted `macro` or `structured_output_schema` is kept and an explicit null clears it. A macro names one playbook
 * within its scope (the enterprise level, or one org): a second one there is a 409.
 */
export function playbookRoutes(app: FastifyInstance, emu: Emulator): void {
  const playbooks = () => emu.store.state.playbooks;

  function checkMacroFree(macro: string | null | undefined, orgId: string | null, self: string | null): void {
    if (macro === null || macro === undefined) return;
    const holder = Object.values(playbooks()).find((p) => p.macro === macro && p.org_id === orgId && p.playbook_id !== self);
    if (holder) throw new ApiError(409, `Macro '${macro}' is already used by playbook ${holder.playbook_id} in this scope`);
  }

  scopedRoutes<PlaybookRecord, PlaybookBody>(app, emu, {
    noun: "Playbook",
    idParam: "playbook_id",
    enterprisePath: "/enterprise/playbooks",
    orgPath: "/playbooks",
    permission: "ManageAccountPlaybooks",
    records: playbooks,
    idOf: (p) => p.playbook_id,
    body: playbookBody,
    filters: {},
    enterpriseFilters: {},
    matches: () => true,
    create(body, orgId, principal) {
      checkOutputSchema(body.structured_output_schema);
      checkMacroFree(body.macro, orgId, null);
      const now = emu.clock.now();
      const by = principal.serviceUser.service_user_id;
      return {
        playbook_id: newId("playbook"),
        title: body.title,
        body: body.body,
        macro: body.macro ?? null,
        structured_output_schema: body.structured_output_schema ?? null,
        created_by: by,
        updated_by: by,
        created_at: now,
        updated_at: now,
        access_type: orgId === null ? "enterprise" : "org",
        org_id: orgId,
        seq: emu.store.nextSeq(),
      };
    },
    update(playbook, body, principal) {
      checkOutputSchema(body.structured_output_schema);
      checkMacroFree(body.macro, playbook.org_id, playbook.playbook_id);
      playbook.title = body.title;
      playbook.body = body.body;
      if (body.macro !== undefined) playbook.macro = body.macro;
      if (body.structured_output_schema !== undefined) playbook.structured_output_schema = body.structured_output_schema;
      playbook.updated_by = principal.serviceUser.service_user_id;
      playbook.updated_at = emu.clock.now();
    },
    present: presentPlaybook,
    actions: { create: "create_playbook", update: "update_playbook", delete: "delete_playbook" },
    auditData: (p) => ({ playbook_id: p.playbook_id, title: p.title, macro: p.macro }),
  });
}
