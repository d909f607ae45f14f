import * as pulumi from "@pulumi/pulumi";
import { claimNaturalKey, withClaim } from "./args";
import { KnowledgeNoteResource } from "./knowledgeNote";

/** The desired state of an enterprise-level knowledge note, used in every org. */
export interface EnterpriseKnowledgeNoteArgs {
  /** The note's name. pulumi-devin refuses to create a second enterprise note with the same name. */
  name: pulumi.Input<string>;
  /** What Devin should know. */
  body: pulumi.Input<string>;
  /** When Devin should recall it, in words. */
  trigger: pulumi.Input<string>;
  /** A repository the note is pinned to, such as `acme/web`. Omit it for none. (Folders are org-level only.) */
  pinnedRepo?: pulumi.Input<string>;
  /** Whether sessions use it. When omitted it is not managed. */
  isEnabled?: pulumi.Input<boolean>;
  /** Manage an existing enterprise note (`note-…`) instead of creating one. Read only when the resource is created. */
  adoptId?: pulumi.Input<string>;
}

const ARGUMENTS: readonly (keyof EnterpriseKnowledgeNoteArgs)[] = ["name", "body", "trigger", "pinnedRepo", "isEnabled", "adoptId"];

/**
 * A knowledge note at the enterprise level. Every field updates in place. An org's note cannot be adopted as one.
 *
 * @example
 * new devin.EnterpriseKnowledgeNote("style", { name: "Code style", body: "...", trigger: "When writing code" });
 */
export class EnterpriseKnowledgeNote extends KnowledgeNoteResource {
  constructor(name: string, args: EnterpriseKnowledgeNoteArgs, opts?: pulumi.CustomResourceOptions) {
    const claim = args.adoptId
      ? undefined
      : claimNaturalKey("EnterpriseKnowledgeNote", name, args.name, (n) => ({
          key: n,
          describe: `the enterprise knowledge note name '${n}'`,
        }));
    const { body, trigger, pinnedRepo, isEnabled, adoptId } = args;
    super(
      "EnterpriseKnowledgeNote",
      name,
      args,
      ARGUMENTS,
      { name: args.name, body, trigger, pinnedRepo, isEnabled, adoptId },
      withClaim(opts, claim),
    );
  }
}
