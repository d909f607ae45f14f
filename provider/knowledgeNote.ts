import * as pulumi from "@pulumi/pulumi";
import { claimNaturalKey, withClaim } from "./args";
import { DevinResource } from "./resource";

/** The desired state of a knowledge note in an org. */
export interface KnowledgeNoteArgs {
  /** The org (an Organization's `orgId`). Changing it replaces the note. */
  orgId: pulumi.Input<string>;
  /** The note's name. pulumi-devin refuses to create a second note with the same name in the org. */
  name: pulumi.Input<string>;
  /** What Devin should know; best kept in a Markdown file beside the program and read with `fs.readFileSync`. */
  body: pulumi.Input<string>;
  /** When Devin should recall it, in words, such as "When deploying the web app". */
  trigger: pulumi.Input<string>;
  /** The folder it sits in (a `folderId` from `getKnowledgeFolders`; folders are made in the Devin app). Omit it for the root. */
  folderId?: pulumi.Input<string>;
  /** A repository the note is pinned to, such as `acme/web`. Omit it for none. */
  pinnedRepo?: pulumi.Input<string>;
  /** Whether sessions use it. When omitted it is not managed: new notes are enabled, and a change made in the app stays. */
  isEnabled?: pulumi.Input<boolean>;
  /** Manage an existing note of the org (`note-…`) instead of creating one. Read only when the resource is created. */
  adoptId?: pulumi.Input<string>;
}

const ARGUMENTS: readonly (keyof KnowledgeNoteArgs)[] = [
  "orgId",
  "name",
  "body",
  "trigger",
  "folderId",
  "pinnedRepo",
  "isEnabled",
  "adoptId",
];

/** What org and enterprise notes share: their outputs, and the id output that stays known in a preview. */
export abstract class KnowledgeNoteResource extends DevinResource {
  /** The note id (`note-…`), the same value as the resource id. */
  declare readonly noteId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly body: pulumi.Output<string>;
  declare readonly trigger: pulumi.Output<string>;
  /** The folder's path from the root, `""` at the root. */
  declare readonly folderPath: pulumi.Output<string>;
  declare readonly pinnedRepo: pulumi.Output<string | null>;
  declare readonly isEnabled: pulumi.Output<boolean>;
  /** Set by the server. */
  declare readonly macro: pulumi.Output<string | null>;
  /** Unix seconds. */
  declare readonly createdAt: pulumi.Output<number>;
  declare readonly updatedAt: pulumi.Output<number>;
  declare readonly schemaVersion: pulumi.Output<number>;

  protected constructor(
    kind: string,
    name: string,
    args: object,
    accepted: readonly string[],
    props: pulumi.Inputs,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const outputs = {
      noteId: undefined,
      folderPath: undefined,
      macro: undefined,
      createdAt: undefined,
      updatedAt: undefined,
      schemaVersion: undefined,
    };
    super(kind, name, args, accepted, { ...props, ...outputs }, opts);
    this.noteId = this.id;
  }
}

/**
 * A knowledge note of an org. Every field but the org updates in place.
 *
 * @example
 * new devin.KnowledgeNote("deploys", {
 *   orgId: eng.orgId,
 *   name: "How we deploy",
 *   body: fs.readFileSync("knowledge/deploys.md", "utf8"),
 *   trigger: "When deploying or rolling back the web app",
 *   pinnedRepo: "acme/web",
 * });
 */
export class KnowledgeNote extends KnowledgeNoteResource {
  declare readonly orgId: pulumi.Output<string>;
  declare readonly folderId: pulumi.Output<string | null>;

  constructor(name: string, args: KnowledgeNoteArgs, opts?: pulumi.CustomResourceOptions) {
    const claim = args.adoptId
      ? undefined
      : claimNaturalKey("KnowledgeNote", name, pulumi.all([args.orgId, args.name]), ([org, n]) => ({
          key: `${org}\u0000${n}`,
          describe: `the knowledge note name '${n}' in ${org}`,
        }));
    const { orgId, body, trigger, folderId, pinnedRepo, isEnabled, adoptId } = args;
    super(
      "KnowledgeNote",
      name,
      args,
      ARGUMENTS,
      { orgId, name: args.name, body, trigger, folderId, pinnedRepo, isEnabled, adoptId },
      withClaim(opts, claim),
    );
  }
}
