import type { FastifyInstance, FastifyRequest } from "fastify";
import { principalOf } from "../auth";
import { ApiError } from "../problem";
import { pathParams } from "../schemas";
import { audit, liveOrg, own, requireFeature, type Emulator, type OrgTagsRecord } from "../store";

/** Tag rules are not documented; the emulator takes 1..256 characters, case-sensitive. */
const tag = { type: "string", minLength: 1, maxLength: 256 } as const;
const tagsBody = { type: "object", required: ["tags"], properties: { tags: { type: "array", items: tag } } } as const;
const defaultBody = { type: "object", required: ["tag"], properties: { tag } } as const;
const orgParams = pathParams("org_id");
const tagParams = pathParams("org_id", "tag");

type OrgRoute = { Params: { org_id: string } };
type TagsRoute = { Params: { org_id: string }; Body: { tags: string[] } };
type DefaultRoute = { Params: { org_id: string }; Body: { tag: string } };
type OneTagRoute = { Params: { org_id: string; tag: string } };

/** The API stores tags as a sorted set. */
const sortedSet = (tags: readonly string[]) => [...new Set(tags)].sort();

/**
 * An org's allowed session tags and its default tag (docs/api-notes.md section 15). The default is always one of the
 * allowed tags: replacing or removing tags drops a default that is no longer allowed.
 */
export function orgTagRoutes(app: FastifyInstance, emu: Emulator): void {
  const base = "/enterprise/organizations/:org_id/tags";
  const options = {
    config: { access: { permission: "ManageEnterpriseSettings" as const } },
    preValidation: async () => requireFeature(emu, "sessionTags", 403, "The session tags feature"),
  };
  const tagsOf = (orgId: string): OrgTagsRecord => own(emu.store.state.orgTags, orgId) ?? { tags: [], default_tag: null };

  /** Applies `change` to the org's tags, keeps the default only while it is allowed, and answers `answer`'s shape. */
  async function write(req: FastifyRequest<OrgRoute>, answer: "tags" | "default", change: (current: OrgTagsRecord) => OrgTagsRecord) {
    const principal = principalOf(req);
    const org = liveOrg(emu, req.params.org_id);
    const next = change(tagsOf(org.org_id));
    const record = { tags: sortedSet(next.tags), default_tag: next.default_tag };
    if (record.default_tag !== null && !record.tags.includes(record.default_tag)) record.default_tag = null;
    emu.store.state.orgTags[org.org_id] = record;
    audit(emu, principal, "update_org_settings", org.org_id, { setting: "session_tags", ...record });
    await emu.store.commit();
    return answer === "tags" ? { tags: record.tags } : { default_tag: record.default_tag };
  }
  const read = (req: FastifyRequest<OrgRoute>) => tagsOf(liveOrg(emu, req.params.org_id).org_id);

  app.get<OrgRoute>(base, { ...options, schema: { params: orgParams } }, async (req) => ({ tags: read(req).tags }));
  app.post<TagsRoute>(base, { ...options, schema: { params: orgParams, body: tagsBody } }, (req) =>
    write(req, "tags", (t) => ({ ...t, tags: [...t.tags, ...req.body.tags] })),
  );
  app.put<TagsRoute>(base, { ...options, schema: { params: orgParams, body: tagsBody } }, (req) =>
    write(req, "tags", (t) => ({ ...t, tags: req.body.tags })),
  );
  app.delete<OrgRoute>(base, { ...options, schema: { params: orgParams } }, (req) =>
    write(req, "tags", () => ({ tags: [], default_tag: null })),
  );

  // Static, so it wins over `/tags/:tag`: a tag named "default" cannot be removed on its own (PUT the set without it).
  const defaultPath = `${base}/default`;
  app.get<OrgRoute>(defaultPath, { ...options, schema: { params: orgParams } }, async (req) => ({ default_tag: read(req).default_tag }));
  app.put<DefaultRoute>(defaultPath, { ...options, schema: { params: orgParams, body: defaultBody } }, (req) =>
    write(req, "default", (t) => {
      if (!t.tags.includes(req.body.tag)) {
        throw new ApiError(400, `Tag '${req.body.tag}' is not an allowed tag of this organization; add it with POST .../tags first`);
      }
      return { ...t, default_tag: req.body.tag };
    }),
  );
  app.delete<OrgRoute>(defaultPath, { ...options, schema: { params: orgParams } }, (req) =>
    write(req, "default", (t) => ({ ...t, default_tag: null })),
  );

  app.delete<OneTagRoute>(`${base}/:tag`, { ...options, schema: { params: tagParams } }, (req) =>
    write(req, "tags", (t) => {
      if (!t.tags.includes(req.params.tag)) throw new ApiError(404, `Tag '${req.params.tag}' is not an allowed tag of this organization`);
      return { ...t, tags: t.tags.filter((x) => x !== req.params.tag) };
    }),
  );
}
