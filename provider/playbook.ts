import * as pulumi from "@pulumi/pulumi";
import { claimNaturalKey, withClaim } from "./args";
import { DevinResource } from "./resource";

/** The desired state of a playbook in an org. */
export interface PlaybookArgs {
  /** The org (an Organization's `orgId`). Changing it replaces the playbook. */
  orgId: pulumi.Input<string>;
  /** The title. pulumi-devin refuses to create a second playbook with the same title in the org. */
  title: pulumi.Input<string>;
  /**
   * The instructions, in Markdown. Keep them in a file beside the program so that reviewers read the text diff in the
   * pull request: `body: fs.readFileSync("playbooks/deploy.md", "utf8")`.
   */
  body: pulumi.Input<string>;
  /** The macro that invokes it in a session: `!` and then letters, digits, `_` or `-`, such as `!deploy`. Omit it for none. */
  macro?: pulumi.Input<string>;
  /**
   * A JSON Schema (Draft 7) object for the structured output sessions using the playbook produce: at most 64 KB,
   * self-contained (`$ref` only to `#/...`). Omit it for none. Key order does not matter.
   */
  structuredOutputSchema?: pulumi.Input<Record<string, unknown>>;
  /** Manage an existing playbook of the org (`playbook-…`) instead of creating one. Read only when the resource is created. */
  adoptId?: pulumi.Input<string>;
}

const ARGUMENTS: readonly (keyof PlaybookArgs)[] = ["orgId", "title", "body", "macro", "structuredOutputSchema", "adoptId"];

/** What org and enterprise playbooks share: their outputs, and the id output that stays known in a preview. */
export abstract class PlaybookResource extends DevinResource {
  /** The playbook id (`playbook-…`), the same value as the resource id; known in a preview once it exists. */
  declare readonly playbookId: pulumi.Output<string>;
  declare readonly title: pulumi.Output<string>;
  declare readonly body: pulumi.Output<string>;
  declare readonly macro: pulumi.Output<string | null>;
  declare readonly structuredOutputSchema: pulumi.Output<Record<string, unknown> | null>;
  /** Who created and last changed it (a user or service user id). */
  declare readonly createdBy: pulumi.Output<string>;
  declare readonly updatedBy: pulumi.Output<string>;
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
      playbookId: undefined,
      createdBy: undefined,
      updatedBy: undefined,
      createdAt: undefined,
      updatedAt: undefined,
      schemaVersion: undefined,
    };
    super(kind, name, args, accepted, { ...props, ...outputs }, opts);
    this.playbookId = this.id;
  }
}

/**
 * A playbook of an org: reusable instructions for sessions. Every field but the org updates in place.
 *
 * @example
 * const deploy = new devin.Playbook("deploy", {
 *   orgId: eng.orgId,
 *   title: "Deploy the web app",
 *   body: fs.readFileSync("playbooks/deploy.md", "utf8"),
 *   macro: "!deploy",
 * });
 */
export class Playbook extends PlaybookResource {
  declare readonly orgId: pulumi.Output<string>;

  constructor(name: string, args: PlaybookArgs, opts?: pulumi.CustomResourceOptions) {
    const claim = args.adoptId
      ? undefined
      : claimNaturalKey("Playbook", name, pulumi.all([args.orgId, args.title]), ([org, t]) => ({
          key: `${org}\u0000${t}`,
          describe: `the playbook title '${t}' in ${org}`,
        }));
    const { orgId, title, body, macro, structuredOutputSchema, adoptId } = args;
    super("Playbook", name, args, ARGUMENTS, { orgId, title, body, macro, structuredOutputSchema, adoptId }, withClaim(opts, claim));
  }
}
