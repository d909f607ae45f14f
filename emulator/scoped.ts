import type { FastifyInstance, FastifyRequest } from "fastify";
import { orgScopedPaths, principalOf, type Principal } from "./auth";
import { paginate, pageQuerySchema, type PageQuery } from "./pagination";
import type { Permission } from "./permissions";
import { ApiError } from "./problem";
import { own, recordIn, type ScopedRecord } from "./records";
import { audit, liveOrg, type Emulator } from "./store";

/**
 * A family of objects that live at the enterprise level or in one org, with the same ten endpoints: playbooks and
 * knowledge notes. What differs between them (body, rules, shape) is given here; what they share is
 * {@link scopedRoutes}.
 */
export interface ScopedFamily<R extends ScopedRecord, B> {
  /** Starts messages: "Playbook". */
  noun: string;
  /** The path parameter of one object, e.g. `playbook_id`. */
  idParam: string;
  /** The enterprise collection, e.g. `/enterprise/playbooks`. */
  enterprisePath: string;
  /** The org collection below `/organizations/{org_id}`, e.g. `/playbooks`. */
  orgPath: string;
  permission: Permission;
  records(): Record<string, R>;
  idOf(record: R): string;
  /** The schema of the POST and PUT bodies. */
  body: object;
  /** Filters of both lists (JSON-schema properties of the query) and the extra ones of the enterprise list. */
  filters: Record<string, object>;
  enterpriseFilters: Record<string, object>;
  matches(record: R, query: Record<string, unknown>): boolean;
  /** A new record, not yet stored; throws for a body the rules refuse. */
  create(body: B, orgId: string | null, principal: Principal): R;
  /** Applies a PUT body to `record`; throws, before changing anything, for a body the rules refuse. */
  update(record: R, body: B, principal: Principal): void;
  present(record: R): unknown;
  actions: { create: string; update: string; delete: string };
  auditData(record: R): Record<string, unknown>;
}

type Route<B> = { Params: Record<string, string | undefined>; Body: B; Querystring: PageQuery & Record<string, unknown> };

/**
 * Registers a scoped family's endpoints. The enterprise list and GET span every org, as the real API's do; the
 * enterprise PUT and DELETE change enterprise-level objects only (an org object there is a 404 naming its org path);
 * the org endpoints see only that org's objects, in both path forms (org-scoped callers may leave the org id out).
 */
export function scopedRoutes<R extends ScopedRecord, B>(app: FastifyInstance, emu: Emulator, family: ScopedFamily<R, B>): void {
  const config = { access: { permission: family.permission } };
  const listSchema = (filters: Record<string, object>) => ({
    querystring: { type: "object", additionalProperties: false, properties: { ...pageQuerySchema, ...filters } },
  });
  const id = (req: FastifyRequest<Route<B>>) => req.params[family.idParam] ?? "";
  // Fastify maps a generic body type through its own helpers; the schema has already checked it is a B.
  const bodyOf = (req: FastifyRequest<Route<B>>) => req.body as B;

  function list(req: FastifyRequest<Route<B>>, inScope: (r: R) => boolean) {
    const records = Object.values(family.records())
      .filter((r) => inScope(r) && family.matches(r, req.query))
      .sort((a, b) => a.seq - b.seq);
    return paginate(records, req.query, (r) => family.present(r));
  }

  async function write(req: FastifyRequest<Route<B>>, record: R, action: "create" | "update" | "delete") {
    const principal = principalOf(req);
    if (action === "create") family.records()[family.idOf(record)] = record;
    else if (action === "update") family.update(record, bodyOf(req), principal);
    else delete family.records()[family.idOf(record)];
    audit(emu, principal, family.actions[action], record.org_id, family.auditData(record));
    await emu.store.commit();
    return family.present(record);
  }

  function anywhere(req: FastifyRequest<Route<B>>): R {
    const record = own(family.records(), id(req));
    if (!record) throw new ApiError(404, `${family.noun} ${id(req)} not found`);
    return record;
  }

  function enterpriseLevel(req: FastifyRequest<Route<B>>): R {
    const record = anywhere(req);
    if (record.org_id !== null) {
      throw new ApiError(
        404,
        `${family.noun} ${id(req)} is not an enterprise ${family.noun.toLowerCase()}; ` +
          `it belongs to ${record.org_id}: use /v3/organizations/${record.org_id}${family.orgPath}/${id(req)}`,
      );
    }
    return record;
  }

  const orgOf = (req: FastifyRequest<Route<B>>) => liveOrg(emu, req.params.org_id ?? "").org_id;
  const inOrg = (req: FastifyRequest<Route<B>>) => recordIn(family.records(), id(req), orgOf(req), family.noun);
  const withBody = { config, schema: { body: family.body } };

  const base = family.enterprisePath;
  const one = `${base}/:${family.idParam}`;
  app.get<Route<B>>(base, { config, schema: listSchema({ ...family.filters, ...family.enterpriseFilters }) }, async (req) =>
    list(req, () => true),
  );
  app.post<Route<B>>(base, withBody, (req) => write(req, family.create(bodyOf(req), null, principalOf(req)), "create"));
  app.get<Route<B>>(one, { config }, async (req) => family.present(anywhere(req)));
  app.put<Route<B>>(one, withBody, (req) => write(req, enterpriseLevel(req), "update"));
  app.delete<Route<B>>(one, { config }, (req) => write(req, enterpriseLevel(req), "delete"));

  for (const orgBase of orgScopedPaths(family.orgPath)) {
    const orgOne = `${orgBase}/:${family.idParam}`;
    app.get<Route<B>>(orgBase, { config, schema: listSchema(family.filters) }, async (req) => {
      const orgId = orgOf(req);
      return list(req, (r) => r.org_id === orgId);
    });
    app.post<Route<B>>(orgBase, withBody, (req) => write(req, family.create(bodyOf(req), orgOf(req), principalOf(req)), "create"));
    app.get<Route<B>>(orgOne, { config }, async (req) => family.present(inOrg(req)));
    app.put<Route<B>>(orgOne, withBody, (req) => write(req, inOrg(req), "update"));
    app.delete<Route<B>>(orgOne, { config }, (req) => write(req, inOrg(req), "delete"));
  }
}
