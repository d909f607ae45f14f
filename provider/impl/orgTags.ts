import { paths } from "./api";
import { checkId, failures, type CheckFailure } from "./check";
import { apiClient, type DevinClient } from "./client";
import { createOnce } from "./createOnce";
import { adoptTargetMissingError, existingSingletonError } from "./errors";
import { SCHEMA_VERSION, type Lifecycle } from "./lifecycle";
import { checkReferences } from "./references";
import { settingsProblem } from "./settings";
import { defined, differs, isUnknown } from "./values";

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

interface LiveTags {
  tags: string[];
  defaultTag: string | null;
}

/** The API keeps tags as a sorted set: so does the provider, so that what it declares is what it reads back. */
const canonical = (tags: string[]) => [...new Set(tags)].sort();

async function readTags(client: DevinClient, orgId: string, operation: string): Promise<LiveTags | undefined> {
  const tags = await client.call<{ tags: string[] }>({ method: "GET", path: paths.orgTags(orgId) }, { operation, allow: [404] });
  if (tags.status === 404) return undefined;
  const def = await client.call<{ default_tag: string | null }>(
    { method: "GET", path: paths.orgDefaultTag(orgId) },
    { operation, allow: [404] },
  );
  return { tags: canonical(tags.body.tags ?? []), defaultTag: def.status === 404 ? null : (def.body.default_tag ?? null) };
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
          { method: "PUT", path: paths.orgDefaultTag(orgId), body: { tag: declared } },
          { operation },
        )
      ).body.default_tag ?? null
    );
  }
  if (had) await client.call({ method: "DELETE", path: paths.orgDefaultTag(orgId) }, { operation, allow: [404] });
  return null;
}

async function putTags(client: DevinClient, orgId: string, tags: string[], operation: string): Promise<string[]> {
  return canonical(
    (await client.call<{ tags: string[] }>({ method: "PUT", path: paths.orgTags(orgId), body: { tags } }, { operation })).body.tags ?? [],
  );
}

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
export const orgTags: Lifecycle<OrgTagsInputs, OrgTagsOutputs> = {
  async check(_olds, news) {
    const found = [
      ...failures([["orgId", checkId("orgId", news.orgId, "org") ?? (news.orgId === undefined ? "orgId is required." : undefined)]]),
      ...checkTags(news),
      ...failures([["", settingsProblem()]]),
    ];
    if (found.length === 0) found.push(...(await checkReferences(_olds, news, ["orgId"])));
    const tags = Array.isArray(news.tags) && !news.tags.some(isUnknown) ? canonical(news.tags) : (news.tags as string[]);
    return {
      inputs: defined({ orgId: news.orgId as string, tags, defaultTag: news.defaultTag ?? undefined, adoptId: news.adoptId ?? undefined }),
      failures: found,
    };
  },

  async diff(_id, olds, news) {
    const replaces = differs(olds.orgId, news.orgId) ? ["orgId"] : [];
    const changed =
      isUnknown(news.tags) ||
      JSON.stringify(olds.tags) !== JSON.stringify(news.tags) ||
      differs(olds.defaultTag ?? null, news.defaultTag ?? null);
    return { changes: replaces.length > 0 || changed, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    const client = apiClient();
    const operation = `set the session tags of ${inputs.orgId}`;
    const outs = (live: LiveTags) => defined({ schemaVersion: SCHEMA_VERSION, orgId: inputs.orgId, ...live, adoptId: inputs.adoptId });
    const result = await createOnce<LiveTags, OrgTagsOutputs>({
      client,
      operation,
      adoptId: inputs.adoptId,
      fetch: async (id) => (id === inputs.orgId ? readTags(client, id, operation) : undefined),
      sameKey: async () => {
        const live = await readTags(client, inputs.orgId, operation);
        return live && (live.tags.length > 0 || live.defaultTag) ? [live] : [];
      },
      idOf: () => inputs.orgId,
      madeSince: () => true,
      post: { method: "PUT", path: paths.orgTags(inputs.orgId), body: { tags: inputs.tags } },
      // The tags are in; the default follows.
      created: async (answer) =>
        outs({
          tags: canonical((answer as { tags: string[] }).tags ?? []),
          defaultTag: await writeDefault(client, inputs.orgId, inputs.defaultTag, null, operation),
        }),
      takeOver: async ({ found }) =>
        outs({
          tags: await putTags(client, inputs.orgId, inputs.tags, operation),
          defaultTag: await writeDefault(client, inputs.orgId, inputs.defaultTag, found.defaultTag, operation),
        }),
      refuse: ([live]) =>
        existingSingletonError(operation, `${inputs.orgId} already has session tags (${live.tags.join(", ")})`, inputs.orgId),
      missing: (id) => adoptTargetMissingError(operation, id),
    });
    return { id: inputs.orgId, outs: result };
  },

  async read(id, props) {
    const orgId = props?.orgId ?? id;
    const live = await readTags(apiClient(), orgId, `read the session tags of ${orgId}`);
    if (!live) return {};
    const outs = defined({ schemaVersion: SCHEMA_VERSION, orgId, ...live, adoptId: props?.adoptId });
    return {
      id,
      props: outs,
      inputs: defined({ orgId, tags: live.tags, defaultTag: live.defaultTag ?? undefined }) as unknown as OrgTagsOutputs,
    };
  },

  async update(_id, olds, news) {
    const client = apiClient();
    const operation = `set the session tags of ${news.orgId}`;
    const tagsChanged = JSON.stringify(olds.tags) !== JSON.stringify(news.tags);
    const tags = tagsChanged ? await putTags(client, news.orgId, news.tags, operation) : olds.tags;
    // A default the new tags still allow survives their replacement; one they do not allow cannot be declared.
    const defaultTag = differs(olds.defaultTag ?? null, news.defaultTag ?? null)
      ? await writeDefault(client, news.orgId, news.defaultTag, olds.defaultTag, operation)
      : olds.defaultTag;
    return { outs: defined({ schemaVersion: SCHEMA_VERSION, orgId: news.orgId, tags, defaultTag, adoptId: olds.adoptId }) };
  },

  async delete(id, props) {
    const orgId = props?.orgId ?? id;
    await apiClient().call(
      { method: "DELETE", path: paths.orgTags(orgId) },
      { operation: `clear the session tags of ${orgId}`, allow: [404] },
    );
  },
};
