import { noteHeld, PartialCreateError } from "./createOnce";
import { repeatedSettingsMessage, SAVED_CONFIG_HINT, settingsCause } from "./errors";
import { KIND, type Lifecycle } from "./lifecycle";
import { firstReport, noteProgramRan, programRan, settingsAreSet } from "./settings";
import { verifySettings } from "./settingsProbe";

/**
 * The adapter between Pulumi's dynamic-provider host and each resource's lifecycle: everything that is about how the
 * host calls us, not about Devin.
 *
 * - One serialized provider serves every resource type: it names no type, and each call is dispatched on the
 *   resource's `__kind` property, which is added to inputs and state here.
 * - The host prints `${error}: ${error.stack}` to its stderr whenever check, diff, read or delete throws, and the CLI
 *   shows that next to the error it already reports: the message twice, with a JavaScript stack trace. Errors thrown
 *   here are complete messages for the user, so that echo is dropped (only the exact text of an error thrown here).
 * - Before a run writes (a create's `check`, a `diff` that finds a change, a delete) or forgets a resource (a read
 *   that finds it gone), the token and URL are proven once (settingsProbe.ts): a bad setting fails the preview, and a
 *   404 from something that is not the Devin API never empties the state.
 * - A token or URL problem fails every resource of the run alike: the first error says it in full, the others in one
 *   short line pointing at it.
 * - Errors in `read` and `delete` say that `refresh` and `destroy` without --run-program use the configuration
 *   recorded at the last `up`, unless `check` or `diff` ran in this run: then the program ran (`up`), with the current
 *   stack config, and the hint would mislead. (Pulumi does not tell a refresh with --run-program from one without.)
 * - Ids seen in diff, read, update and delete are the stack's own, which the duplicate guard must not count.
 * - A partial create or update must carry the serialized provider among its properties, or Pulumi could not load it
 *   later.
 */

// The lifecycles' types differ; the host hands over untyped property bags.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLifecycle = Lifecycle<any, any>;
type Props = Record<string, unknown>;

/** Per process, not per run (runState.ts): they belong to the console this process patches once. */
const echoes = new Set<string>();
let muted = false;

function muteHostEcho(): void {
  if (muted) return;
  muted = true;
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === "string" && echoes.delete(args[0])) return;
    original(...args);
  };
}

/** Methods the host echoes on failure; create and update failures reach the CLI once, as the gRPC error. */
const ECHOED = new Set(["check", "diff", "read", "delete"]);
/** Methods that run without the program in `refresh` and `destroy`, with the configuration saved at the last `up`. */
const SAVED_CONFIG = new Set(["read", "delete"]);

function annotate(method: string, e: unknown): unknown {
  const cause = settingsCause(e);
  if (cause === undefined || !(e instanceof Error)) return e;
  if (!firstReport(cause)) e.message = repeatedSettingsMessage(e.message);
  else if (SAVED_CONFIG.has(method) && !programRan()) e.message += SAVED_CONFIG_HINT;
  return e;
}

/** Whether the resource has inputs in the state: without them, `check` prepares a create. */
function hasOldInputs(olds: Props): boolean {
  return Object.keys(olds).some((k) => k !== KIND && k !== "__provider");
}

/** The probe's verdict as a check failure, once in full per run; undefined when the settings are fine. */
async function settingsFailure(): Promise<string | undefined> {
  if (!settingsAreSet()) return undefined; // the lifecycle's check reports it, without any request
  try {
    await verifySettings();
    return undefined;
  } catch (e) {
    const error = annotate("check", e);
    if (error instanceof Error) return error.message;
    throw error;
  }
}

async function guarded<T>(method: string, run: () => Promise<T>, inputs?: Props): Promise<T> {
  muteHostEcho();
  try {
    return await run();
  } catch (e) {
    const error = annotate(method, e);
    if (error instanceof PartialCreateError && inputs) error.properties.__provider = inputs.__provider;
    if (ECHOED.has(method) && error instanceof Error) echoes.add(`${error}: ${error.stack}`);
    throw error;
  }
}

/** The kind of the resource the props belong to (`__kind`), and its lifecycle. */
function lifecycleOf(lifecycles: Record<string, AnyLifecycle>, ...props: (Props | undefined)[]): { kind: string; lifecycle: AnyLifecycle } {
  const kind = props.map((p) => p?.[KIND]).find((k): k is string => typeof k === "string");
  const lifecycle = kind === undefined ? undefined : lifecycles[kind];
  if (!lifecycle)
    throw new Error(`pulumi-devin has no resource type '${String(kind)}': the installed pulumi-devin is older than the state; upgrade it.`);
  return { kind: kind as string, lifecycle };
}

/**
 * A create's or update's result with the kind added to its outputs, or, when it fails part-way (an object created
 * but not yet configured; a new key issued, the old one not yet revoked), to the properties the state takes.
 */
async function marked<R extends { outs?: Props }>(kind: string, run: () => Promise<R>): Promise<R> {
  try {
    const result = await run();
    return { ...result, outs: { ...result.outs, [KIND]: kind } };
  } catch (e) {
    if (e instanceof PartialCreateError) e.properties[KIND] = kind;
    throw e;
  }
}

/** The methods the one serialized provider calls, dispatching on `__kind`. */
export function dispatcher(lifecycles: Record<string, AnyLifecycle>) {
  return {
    check: (olds: Props, news: Props) =>
      guarded("check", async () => {
        noteProgramRan();
        const { kind, lifecycle } = lifecycleOf(lifecycles, news, olds);
        const result = await lifecycle.check(olds, news);
        // Bad input is reported before any request; valid input to a create proves the settings.
        const unusable = hasOldInputs(olds) || (result.failures?.length ?? 0) > 0 ? undefined : await settingsFailure();
        const failures = unusable === undefined ? result.failures : [{ property: "", reason: unusable }];
        return { ...result, failures, inputs: { ...result.inputs, [KIND]: kind } };
      }),
    diff: (id: string, olds: Props, news: Props) =>
      guarded("diff", async () => {
        noteProgramRan();
        noteHeld(id);
        const result = await lifecycleOf(lifecycles, news, olds).lifecycle.diff(id, olds, news);
        if (result.changes || (result.replaces?.length ?? 0) > 0) await verifySettings();
        return result;
      }),
    create: (inputs: Props) =>
      guarded(
        "create",
        async () => {
          const { kind, lifecycle } = lifecycleOf(lifecycles, inputs);
          return marked(kind, () => lifecycle.create(inputs));
        },
        inputs,
      ),
    read: (id: string, props: Props) =>
      guarded("read", async () => {
        noteHeld(id);
        const { kind, lifecycle } = lifecycleOf(lifecycles, props);
        const result = await lifecycle.read(id, props);
        // "Gone" is a 404, which any server may answer: only the Devin API's removes the resource from the state.
        if (!result.id) await verifySettings();
        return result.id
          ? { ...result, props: { ...result.props, [KIND]: kind }, inputs: result.inputs && { ...result.inputs, [KIND]: kind } }
          : result;
      }),
    update: (id: string, olds: Props, news: Props) =>
      guarded(
        "update",
        async () => {
          noteHeld(id);
          const { kind, lifecycle } = lifecycleOf(lifecycles, news, olds);
          return marked(kind, () => lifecycle.update(id, olds, news));
        },
        news,
      ),
    delete: (id: string, props: Props) =>
      guarded("delete", async () => {
        noteHeld(id);
        // A delete reads a 404 as done: at a URL with no Devin API behind it, the state would forget live objects.
        await verifySettings();
        await lifecycleOf(lifecycles, props).lifecycle.delete(id, props);
      }),
  };
}

/**
 * The per-type entry points of state written before one provider served every type (schema 1): its serialized
 * providers call `impl.organization.read(...)` and the like, without `__kind`.
 */
export function forHost(kind: string, lifecycle: AnyLifecycle): AnyLifecycle {
  const one = dispatcher({ [kind]: lifecycle });
  const withKind = (props: Props) => ({ ...props, [KIND]: kind });
  return {
    check: (olds, news) => one.check(withKind(olds), withKind(news)),
    diff: (id, olds, news) => one.diff(id, withKind(olds), withKind(news)),
    create: (inputs) => one.create(withKind(inputs)),
    read: (id, props) => one.read(id, withKind(props ?? {})),
    update: (id, olds, news) => one.update(id, withKind(olds), withKind(news)),
    delete: (id, props) => one.delete(id, withKind(props ?? {})),
  };
}
