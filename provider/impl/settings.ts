/**
 * Where the credentials and the API base come from. Stack config (`devin:token`, `devin:apiUrl`) arrives through the
 * provider's `configure()`: for `preview` and `up` the current stack config, for `refresh` and `destroy` the one Pulumi
 * recorded in the state at the last `up` (encrypted). Environment variables are read at call time and never stored.
 */

import { isOffline } from "./offline";
import { run, startRun } from "./runState";
import { apiUrlMessages, ConfigurationError, NO_TOKEN, NOT_A_V3_TOKEN, repeatedSettingsMessage } from "./errors";

export const DEFAULT_API_URL = "https://api.devin.ai";

export interface ConfiguredValues {
  token?: string;
  apiUrl?: string;
}

export interface Settings {
  token: string;
  /** Origin plus any path prefix, without `/v3`, `/v3beta1` or a trailing slash. */
  baseUrl: string;
}

let configured: ConfiguredValues = {};

/**
 * What this run has learned (kept in `run`, runState.ts, forgotten when the next run is configured): which settings
 * problems it has reported in full (a repeat gets one short line), and whether the program ran (Pulumi called `check`
 * or `diff`), which tells whether the configuration came from the current stack config or from the state.
 */

/** Records that the program ran in this run: its configuration is the current stack config. */
export function noteProgramRan(): void {
  run.programRan = true;
}

/** Whether this run ran the program (`preview`, `up`, or `--run-program`), as far as the provider has seen. */
export function programRan(): boolean {
  return run.programRan;
}

/** True the first time a settings problem (by `settingsCause` key) is reported in this run. */
export function firstReport(cause: string): boolean {
  if (run.reported.has(cause)) return false;
  run.reported.add(cause);
  return true;
}

/** The part of Pulumi's ConfigureRequest that is read: the stack config, with full `namespace:key` names. */
export interface ConfigureRequest {
  config: { get(key: string): string | undefined };
}

/** Called by the dynamic provider's `configure()` with the whole stack config; only `devin:*` is read. */
export function configure(req: ConfigureRequest): void {
  // A new run (the host configures the provider once per run): what the last one read is stale.
  startRun();
  configured = { token: req.config.get("devin:token") || undefined, apiUrl: req.config.get("devin:apiUrl") || undefined };
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Accepts the seed's `.../v3beta1` and `.../v3` forms and refuses plain http except to loopback. */
export function normalizeApiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigurationError(apiUrlMessages.notAUrl(raw));
  }
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname)) {
    throw new ConfigurationError(apiUrlMessages.plainHttp(raw));
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigurationError(apiUrlMessages.notHttps(raw));
  }
  if (url.search || url.hash) throw new ConfigurationError(apiUrlMessages.queryOrFragment(raw));
  const path = url.pathname.replace(/\/+$/, "").replace(/\/(v3|v3beta1)$/, "");
  return `${url.origin}${path}`;
}

/** Resolves the settings for one operation. */
export function resolveSettings(env: NodeJS.ProcessEnv = process.env, values: ConfiguredValues = configured): Settings {
  const token = values.token ?? env.DEVIN_TOKEN ?? env.DEVIN_SERVICE_USER_TOKEN;
  if (!token) throw new ConfigurationError(NO_TOKEN);
  if (!token.startsWith("cog_")) throw new ConfigurationError(NOT_A_V3_TOKEN);
  const apiUrl = values.apiUrl ?? env.DEVIN_API_URL ?? DEFAULT_API_URL;
  return { token, baseUrl: normalizeApiUrl(apiUrl) };
}

/** What is wrong with the token or URL setting, as the error `resolveSettings` would throw; undefined when nothing is. */
function settingsError(env: NodeJS.ProcessEnv, values: ConfiguredValues): ConfigurationError | undefined {
  try {
    resolveSettings(env, values);
    return undefined;
  } catch (e) {
    if (e instanceof ConfigurationError) return e;
    throw e;
  }
}

/** Whether a token and a well-formed URL are set (what `settingsProblem` reports, without reporting it). */
export function settingsAreSet(env: NodeJS.ProcessEnv = process.env, values: ConfiguredValues = configured): boolean {
  return settingsError(env, values) === undefined;
}

/**
 * For `check`: what is wrong with the token or URL setting, if anything, without any API call. A preview then fails on
 * the setting, not an `up` halfway through. Every resource of the run reports it; the first in full, the others in
 * one short line pointing at it.
 */
export function settingsProblem(env: NodeJS.ProcessEnv = process.env, values: ConfiguredValues = configured): string | undefined {
  // The program's process has no settings of its own: the provider's check reports them.
  if (isOffline()) return undefined;
  const error = settingsError(env, values);
  if (error === undefined) return undefined;
  return firstReport(`config:${error.message}`) ? error.message : repeatedSettingsMessage(error.message);
}
