import { orgTags as schema } from "../schema/orgTags";
import { toWire } from "../schema/wire";
import { seg } from "./api";
import { checkId, failures, type CheckFailure } from "./check";
import type { DevinClient } from "./client";
import { singletonLifecycle } from "./singletonLifecycle";
import { defined, isUnknown } from "./values";

export const orgTagsPaths = {
  orgTags: (orgId: string) => `/v3/enterprise/organizations/${seg(orgId)}/tags`,
  orgDefaultTag: (orgId: string) => `/v3/enterprise/organizations/${seg(orgId)}/tags/default`,
} as const;

export interface OrgTagsInputs {
  orgId: string;
  tags: string[];
  defaultTag?: string;
  adoptId?: string;
}

export interface OrgTagsOutputs {
  schemaVersion: number;
  orgId: string;
  tags: string[];
  defaultTag: string | null;
  adoptId?: string;
}

/** An org's tags as the API has them, from its two reads: the tags, and the default. */
export interface LiveTags {
  tags: string[];
  default_tag: string | null;
}

/** The API keeps tags as a sorted set: so does the provider, so that what it declares is what it reads back. */
const canonical = (tags: string[]) => [...new Set(tags)].sort();

export async function readTags(client: DevinClient, orgId: string, operation: string): Promise<LiveTags | undefined> {
  const tags = await client.call<{ tags: string[] }>({ method: "GET", path: orgTagsPaths.orgTags(orgId) }, { operation, allow: [404] });
  if (tags.status === 404) return undefined;
  const def = await client.call<{ default_tag: string | null }>(
    { method: "GET", path: orgTagsPaths.orgDefaultTag(orgId) },
    { operation, allow: [404] },
  );
  return { tags: canonical(tags.body.tags ?? []), default_tag: def.status === 404 ? null : (def.body.default_tag ?? null) };
}

/**
 * Sets the default after the tags are in, or clears it when the program stopped declaring one (replacing the tags
 * already clears a default they no longer allow; one they still allow must be cleared on its own).
 */
async function writeDefault(
  client: DevinClient,
  orgId: string,
  declared: string | undefined,
  had: string | null,
  operation: string,
): Promise<string | null> {
  if (declared) {
    return (
      (
        await client.call<{ default_tag: string | null }>(
          { method: "PUT", path: orgTagsPaths.orgDefaultTag(orgId), body: toWire(schema.fields, { defaultTag: declared }, ["defaultTag"]) },
          { operation },
        )
      ).body.default_tag ?? null
    );
  }
  if (had) await client.call({ method: "DELETE", path: orgTagsPaths.orgDefaultTag(orgId) }, { operation, allow: [404] });
  return null;
}

/** Replaces the tags; the default is another request. */
const putTags = (orgId: string, inputs: Pick<OrgTagsInputs, "tags">) =>
  ({ method: "PUT", path: orgTagsPaths.orgTags(orgId), body: toWire(schema.fields, inputs, ["tags"]) }) as const;

const tagsOf = (answer: unknown) => canonical((answer as { tags?: string[] }).tags ?? []);

function checkTags(news: Partial<OrgTagsInputs>): CheckFailure[] {
  const found: CheckFailure[] = [];
  if (!isUnknown(news.tags)) {
    if (!Array.isArray(news.tags))
      found.push({ property: "tags", reason: "tags must be a list of session tags, such as ['billing', 'migration']." });
    else
      news.tags.forEach(
        (t, i) =>
          !isUnknown(t) &&
          (typeof t !== "string" || t.trim() === "") &&
          found.push({ property: `tags[${i}]`, reason: "each tag must be a non-empty string." }),
      );
  }
  const def = news.defaultTag;
  if (
    def !== undefined &&
    def !== null &&
    !isUnknown(def) &&
    Array.isArray(news.tags) &&
    !news.tags.some(isUnknown) &&
    !news.tags.includes(def)
  ) {
    found.push({
      property: "defaultTag",
      reason: `defaultTag '${String(def)}' is not one of tags; the API accepts only an allowed tag as the default. Add it to tags.`,
    });
  }
  return found;
}

/** The session tags allowed in an org, and the default one sessions get. */
export const orgTags = singletonLifecycle<OrgTagsInputs, LiveTags, OrgTagsOutputs>({
  schema,
  key: (x) => x.orgId,
  keyField: "orgId",
  what: (orgId) => `the session tags of ${orgId}`,
  check(_olds, news) {
    const found = [
      ...failures([["orgId", checkId("orgId", news.orgId, "org") ?? (news.orgId === undefined ? "orgId is required." : undefined)]]),
      ...checkTags(news),
    ];
    const tags = Array.isArray(news.tags) && !news.tags.some(isUnknown) ? canonical(news.tags) : (news.tags as string[]);
    return { inputs: defined({ orgId: news.orgId as string, tags, defaultTag: news.defaultTag ?? undefined }), failures: found };
  },
  references: ["orgId"],
  get: readTags,
  isSet: (live) => live.tags.length > 0 || live.default_tag !== null,
  existing: (orgId, live) => `${orgId} already has session tags (${live.tags.join(", ")})`,
  put: putTags,
  // The tags are in; the default follows.
  written: async (client, orgId, inputs, answer, had, operation) => ({
    tags: tagsOf(answer),
    default_tag: await writeDefault(client, orgId, inputs.defaultTag, had?.default_tag ?? null, operation),
  }),
  async update(client, orgId, olds, news, changed, operation) {
    const tags = changed.includes("tags") ? tagsOf((await client.call<unknown>(putTags(orgId, news), { operation })).body) : olds.tags;
    // A default the new tags still allow survives their replacement; one they do not allow cannot be declared.
    const defaultTag = changed.includes("defaultTag")
      ? await writeDefault(client, orgId, news.defaultTag, olds.defaultTag, operation)
      : olds.defaultTag;
    return { tags, default_tag: defaultTag };
  },
  clear: (orgId) => ({ method: "DELETE", path: orgTagsPaths.orgTags(orgId) }),
});
