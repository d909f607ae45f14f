import { describe, expect, it } from "vitest";
import { Clock } from "../../emulator/ids";
import { buildApp } from "../../emulator/server";
import { Store } from "../../emulator/store";
import { permissionFor } from "../../provider/impl/api";
import { useTestEmulator } from "../support/emulator";

/**
 * Every route of the emulator against a caller that holds no permission there: a route that forgot its permission
 * check answers something else than 403. The permission each 403 names is the one the provider's own rules (the
 * resource tables' `permissions`, then provider/impl/api.ts) name in its message, so the two programs, which share
 * no code, check each other.
 */

const emu = useTestEmulator();

/** Every API route as Fastify registered it, with the permission its options declare. */
async function routes(): Promise<{ method: string; url: string; permission: string | undefined }[]> {
  const app = buildApp({ store: new Store(null), clock: new Clock(), defaultMaxSessionAcuLimit: 50 }, null, async () => {});
  const found: { method: string; url: string; permission: string | undefined }[] = [];
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) {
      if (method === "HEAD" || !/^\/v3(beta1)?\//.test(route.url)) continue;
      found.push({
        method,
        url: route.url,
        permission: (route.config as { access?: { permission?: string } } | undefined)?.access?.permission,
      });
    }
  });
  await app.ready();
  await app.close();
  return found;
}

/**
 * Routes the provider never calls, so its table has no row for them: the org-scoped forms without an org id, and
 * reads only a user of the API would make.
 */
const NOT_CALLED_BY_THE_PROVIDER = [
  /^\/organizations\/(service-users|playbooks|knowledge|schedules|secrets|consumption|members)(\/|$)/,
  /^\/organizations\/[^/]+\/consumption\/daily$/,
  /^\/organizations\/[^/]+\/members\/idp-users$/,
  /^\/enterprise\/self$/,
  /^\/self$/,
];

describe("every route of the API", () => {
  it("but self refuses a caller without its permission (403), naming the permission the provider's messages name", async () => {
    const all = await routes();
    expect(all.length).toBeGreaterThan(100);
    // Only self needs no permission: every service user may ask who it is.
    expect([
      ...new Set(all.filter((r) => r.permission === undefined).map((r) => `${r.method} ${r.url.replace(/^\/v3(beta1)?/, "")}`)),
    ]).toEqual(["GET /self", "GET /enterprise/self"]);

    // An org Member holds no permission a route needs, in its own org or another.
    const home = await emu().newOrg("home");
    const other = await emu().newOrg("other");
    const caller = await emu().provision(`/v3beta1/organizations/${home}/service-users`, "org_member", "nobody");
    const wrong: string[] = [];
    for (const r of all.filter((x) => x.permission !== undefined)) {
      const path = r.url
        .replace(":org_id", other)
        .replace(":service_user_id", emu().adminServiceUserId)
        .replace(/:[a-z_]+/g, "x");
      const res = await emu().call<{ detail?: string }>(
        r.method,
        path,
        r.method === "GET" || r.method === "DELETE" ? undefined : {},
        caller.token,
      );
      const named = /this call needs (\w+)/.exec(res.body.detail ?? "")?.[1];
      const bare = path.replace(/^\/v3(beta1)?/, "");
      const provider = NOT_CALLED_BY_THE_PROVIDER.some((re) => re.test(bare)) ? named : permissionFor(r.method, path);
      if (res.status !== 403 || named !== r.permission || provider !== named) {
        wrong.push(`${r.method} ${path}: ${res.status}, the emulator names ${named}, the provider ${provider}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
