import { kindOfType, RESOURCES, type Kind } from "../schema";
import type { PreviewState, PreviewStep } from "./preview";

/**
 * What a reviewer calls an object: its name in Devin (an org's or a service user's `name`, a playbook's `title`, a
 * secret's `key`), not the program's resource name nor an id. Built from every step of the same preview, so an id
 * another resource refers to (a service user's `orgId`) reads as the name of that org when the preview holds it.
 */

/** Pulumi's placeholder in a preview for a value not known until `up` (another resource's output, say). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The input that names an object of each kind, by kind; the others have none (roles, tags, the IP list). */
const NAME_FIELDS = ["name", "title", "key"];
/** The output that holds the id others refer to, besides the resource id, of the kinds others refer to by id. */
const ID_FIELD: Record<string, string | undefined> = Object.fromEntries(
  (["Organization", "ServiceUser"] satisfies Kind[]).map((k) => [k, RESOURCES[k].idOutput]),
);

const text = (v: unknown) => (typeof v === "string" && v !== "" && v !== UNKNOWN ? v : undefined);

/** A pulumi-devin resource's kind (from the dynamic resources' type token or the plugin's); another type as it is. */
export const kindOf = (type: string): string => kindOfType(type) ?? type;
export const resourceNameOf = (urn: string) => urn.split("::").pop() ?? urn;

/** An object's own name from its state, if it has one. */
function titleIn(...states: (PreviewState | undefined)[]): string | undefined {
  for (const field of NAME_FIELDS) {
    for (const s of states) {
      const v = text(s?.inputs?.[field]) ?? text(s?.outputs?.[field]);
      if (v) return v;
    }
  }
  return undefined;
}

export interface Named {
  kind: string;
  /** The program's resource name. */
  resource: string;
  /** The object's name in Devin, or undefined when its kind has none. */
  title?: string;
  /** Its id, once it exists. */
  id?: string;
}

/** Resolves URNs and ids of a preview to names. */
export class Names {
  private readonly byUrn = new Map<string, Named>();
  private readonly byId = new Map<string, Named>();

  constructor(steps: PreviewStep[]) {
    for (const step of steps) {
      const type = step.newState?.type ?? step.oldState?.type ?? step.urn.split("::")[2] ?? "";
      const id = text(step.oldState?.id) ?? text(step.newState?.id);
      const named: Named = {
        kind: kindOf(type),
        resource: resourceNameOf(step.urn),
        title: titleIn(step.newState, step.oldState),
        id,
      };
      // A replacement's parts carry the same URN: the first one with a name wins.
      const seen = this.byUrn.get(step.urn);
      if (!seen || (!seen.title && named.title) || (!seen.id && named.id))
        this.byUrn.set(step.urn, { ...seen, ...named, id: id ?? seen?.id });
      const field = ID_FIELD[named.kind];
      if (field) {
        for (const ref of [id, text(step.oldState?.outputs?.[field])]) if (ref) this.byId.set(ref, this.byUrn.get(step.urn) ?? named);
      }
    }
  }

  /** The object a step changes. */
  of(urn: string): Named {
    return this.byUrn.get(urn) ?? { kind: kindOf(urn.split("::")[2] ?? ""), resource: resourceNameOf(urn) };
  }

  /**
   * What the `field` of a state refers to (an org's id in `orgId`), as a name: the object's name when the preview holds
   * it, else the resource it comes from (when its id is not known yet), else undefined.
   */
  ref(state: PreviewState | undefined, field: string): string | undefined {
    const value = state?.inputs?.[field];
    const byId = typeof value === "string" ? this.byId.get(value) : undefined;
    if (byId) return byId.title ?? byId.resource;
    const from = state?.propertyDependencies?.[field] ?? [];
    if (from.length === 1) {
      const named = this.of(from[0]);
      return named.title ?? named.resource;
    }
    return undefined;
  }
}
