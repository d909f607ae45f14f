import type { ResourceSchema } from "../schema/types";
import { isUnknown, managedArguments, sameJson } from "../impl/values";

/** How a property changes, as Pulumi's `PropertyDiff.Kind` numbers it. */
export enum PropertyChange {
  Add = 0,
  AddReplace = 1,
  Delete = 2,
  DeleteReplace = 3,
  Update = 4,
  UpdateReplace = 5,
}

/**
 * The properties a preview lists for a change the lifecycle's `diff` found: each argument the program manages whose
 * declared value differs from the state (a value unknown in the preview counts as differing), each marked as replacing
 * when the lifecycle said so. The lifecycle decides whether there is a change at all; this only names it, so that the
 * preview shows `~ acuLimit: 100 => 200` against the live value, not against the last inputs. An argument the program
 * has never declared is not managed and never listed; one it stops declaring is (its value is cleared).
 *
 * Undefined when the change lies in no argument (a key due for rotation): the engine then lists what it sees itself.
 */
export function detailedDiff(
  table: ResourceSchema,
  state: Record<string, unknown>,
  oldInputs: Record<string, unknown>,
  news: Record<string, unknown>,
  replaces: readonly string[],
): Record<string, PropertyChange> | undefined {
  const changes: Record<string, PropertyChange> = {};
  for (const { name } of managedArguments(table)) {
    const declared = news[name];
    if (!replaces.includes(name)) {
      if (declared === undefined && oldInputs[name] === undefined) continue;
      if (!isUnknown(declared) && sameJson(state[name], declared)) continue;
    }
    const before = state[name] === undefined || state[name] === null;
    const replacing = replaces.includes(name);
    changes[name] =
      before && declared !== undefined
        ? replacing
          ? PropertyChange.AddReplace
          : PropertyChange.Add
        : declared === undefined
          ? replacing
            ? PropertyChange.DeleteReplace
            : PropertyChange.Delete
          : replacing
            ? PropertyChange.UpdateReplace
            : PropertyChange.Update;
  }
  return Object.keys(changes).length > 0 ? changes : undefined;
}
