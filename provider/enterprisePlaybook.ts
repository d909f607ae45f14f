import * as pulumi from "@pulumi/pulumi";
import { claimNaturalKey, withClaim } from "./args";
import { PlaybookResource } from "./playbook";

/** The desired state of an enterprise-level playbook, available in every org. */
export interface EnterprisePlaybookArgs {
  /** The title. pulumi-devin refuses to create a second enterprise playbook with the same title. */
  title: pulumi.Input<string>;
  /** The instructions, in Markdown; best loaded from a file in the repository with `fs.readFileSync`. */
  body: pulumi.Input<string>;
  /** The macro that invokes it, such as `!release`. Omit it for none. */
  macro?: pulumi.Input<string>;
  /** A self-contained JSON Schema object (at most 64 KB) for the sessions' structured output. Omit it for none. */
  structuredOutputSchema?: pulumi.Input<Record<string, unknown>>;
  /** Manage an existing enterprise playbook (`playbook-…`) instead of creating one. Read only when the resource is created. */
  adoptId?: pulumi.Input<string>;
}

const ARGUMENTS: readonly (keyof EnterprisePlaybookArgs)[] = ["title", "body", "macro", "structuredOutputSchema", "adoptId"];

/**
 * A playbook at the enterprise level. Every field updates in place. An org's playbook cannot be adopted as one.
 *
 * @example
 * new devin.EnterprisePlaybook("release", { title: "Release checklist", body: fs.readFileSync("playbooks/release.md", "utf8") });
 */
export class EnterprisePlaybook extends PlaybookResource {
  constructor(name: string, args: EnterprisePlaybookArgs, opts?: pulumi.CustomResourceOptions) {
    const claim = args.adoptId
      ? undefined
      : claimNaturalKey("EnterprisePlaybook", name, args.title, (t) => ({ key: t, describe: `the enterprise playbook title '${t}'` }));
    const { title, body, macro, structuredOutputSchema, adoptId } = args;
    super("EnterprisePlaybook", name, args, ARGUMENTS, { title, body, macro, structuredOutputSchema, adoptId }, withClaim(opts, claim));
  }
}
