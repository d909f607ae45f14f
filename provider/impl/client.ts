import { Agent, request } from "undici";
import type { Page } from "./api";
import {
  apiError,
  DevinNetworkError,
  looksLikeApiAnswer,
  networkErrorMessage,
  notAnApiError,
  outcomeUnknownError,
  redact,
  type NetworkCause,
} from "./errors";
import { isOffline } from "./offline";
import { resolveSettings, type ConfiguredValues, type Settings } from "./settings";

/**
 * The only code in pulumi-devin that speaks HTTP. Every rule about timeouts, retries, concurrency and ambiguous
 * failures lives here.
 *
 * Retry rules:
 * - A TLS failure or a host name that does not resolve is never retried: nothing in the run can change either.
 * - GET, PATCH, PUT and DELETE are idempotent (every PATCH the provider sends sets values, none adds to them): retried
 *   on a cut connection, a timeout, 429 and 5xx (except 501).
 * - POST is retried only on 429, or when the request certainly never reached the server (connection refused, connect
 *   timeout, network unreachable), unless the caller marks the call `repeatable`.
 * - A POST that fails ambiguously (dropped connection or timeout after sending, or a 5xx) may have created the object.
 *   If the caller gave a `reconcile` lookup, it runs before any retry: a found object is adopted, otherwise the POST is
 *   retried. If the lookup fails too, or there is none, the error says the outcome is unknown.
 * - The budget is time, not attempts: a call keeps retrying while the next wait still ends within 90 s of its first
 *   attempt (10 s when the API cannot be reached at all). Backoff is exponential with full jitter.
 * - An answer no Devin API gives (a 404 that is not a JSON error, an HTML page) is an error naming devin:apiUrl, even
 *   where the caller accepts a 404: a wrong URL must not read as "deleted".
 * - A 429 pauses every request of this process to that API for its `Retry-After`, and halves how many may be in flight
 *   (each success gives one back), so a rate-limited run slows down instead of failing.
 */

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RequestSpec {
  method: Method;
  /** Path from the base, starting with /v3 or /v3beta1. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

export interface CallOptions<T> {
  /** What the user asked for, e.g. "create organization 'eng'"; it starts every error message. */
  operation: string;
  /** Statuses answered to the caller instead of thrown (404 for read and delete). */
  allow?: number[];
  /** For creates: finds the object a lost response may have created. */
  reconcile?: () => Promise<T | undefined>;
  /** A POST the caller may send twice: whatever a lost answer created, the caller cleans up afterwards. */
  repeatable?: boolean;
}

export interface Response<T> {
  status: number;
  body: T;
  /** The server's time from its Date header, unix seconds: ages of API objects are measured in it. */
  serverTime?: number;
}

export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Time budget of one call, waits included: no retry starts after it. */
  maxTotalMs: number;
  /** The shorter budget while the API cannot be reached at all (refused, DNS): it rarely comes back within a run. */
  unreachableMs: number;
  /** Only for tests that want a bound on attempts. */
  maxAttempts?: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: 250, maxDelayMs: 10_000, maxTotalMs: 90_000, unreachableMs: 10_000 };

/** The default policy, with `DEVIN_RETRY_BUDGET_SECONDS` (read when each operation runs) replacing the 90 s budget. */
export function retryPolicy(env: NodeJS.ProcessEnv = process.env): RetryPolicy {
  const seconds = Number(env.DEVIN_RETRY_BUDGET_SECONDS);
  if (!env.DEVIN_RETRY_BUDGET_SECONDS || !Number.isFinite(seconds) || seconds < 0) return DEFAULT_RETRY;
  return { ...DEFAULT_RETRY, maxTotalMs: seconds * 1000, unreachableMs: Math.min(DEFAULT_RETRY.unreachableMs, seconds * 1000) };
}

/** Per-process cap on requests in flight; the engine runs up to 4×CPUs resource operations at once. */
const MAX_IN_FLIGHT = Number(process.env.DEVIN_MAX_CONCURRENCY) || 8;

const IDEMPOTENT = new Set<Method>(["GET", "PATCH", "PUT", "DELETE"]);

/**
 * What a network failure says about the request: whether it reached the server, and whether trying again can help.
 * `refused` and `unreachable` never reached it and may pass later in the run; `dns` and `tls` never reached it and
 * cannot; `timeout` and `cut` reached a server that answers connections, so the request may have been applied.
 */
export function networkCause(code: string, message = ""): NetworkCause {
  if (code === "ECONNREFUSED") return "refused";
  if (["UND_ERR_CONNECT_TIMEOUT", "ENETUNREACH", "EHOSTUNREACH", "EAI_AGAIN"].includes(code)) return "unreachable";
  if (code === "ENOTFOUND") return "dns";
  if (/^ERR_(SSL|TLS)_|CERT|EPROTO/.test(code) || /SSL routines|certificate/i.test(message)) return "tls";
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "ETIMEDOUT") return "timeout";
  return "cut";
}
const NEVER_REACHED = new Set<NetworkCause>(["refused", "unreachable", "dns", "tls"]);
const HOPELESS = new Set<NetworkCause>(["dns", "tls"]);

/**
 * Requests in flight to one API, and when they may go: a limit that halves on each 429 and grows back by one per
 * success, and a pause until the latest `Retry-After` has passed.
 */
class Lane {
  private active = 0;
  private limit = MAX_IN_FLIGHT;
  private pausedUntil = 0;
  private readonly queue: (() => void)[] = [];

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active += 1;
    else await new Promise<void>((r) => this.queue.push(r)); // the slot is handed over by release()
    try {
      for (let wait = this.pausedUntil - Date.now(); wait > 0; wait = this.pausedUntil - Date.now()) {
        await new Promise((r) => setTimeout(r, wait));
      }
      return await fn();
    } finally {
      this.release();
    }
  }

  rateLimited(retryAfterMs: number | undefined): void {
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    if (retryAfterMs !== undefined) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + retryAfterMs);
  }

  succeeded(): void {
    if (this.limit >= MAX_IN_FLIGHT) return;
    this.limit += 1;
    if (this.active < this.limit && this.queue.length > 0) {
      this.active += 1;
      this.queue.shift()?.();
    }
  }

  private release(): void {
    this.active -= 1;
    if (this.active < this.limit && this.queue.length > 0) {
      this.active += 1;
      this.queue.shift()?.();
    }
  }
}

/** Per process, not per run (runState.ts): a server's connections and its rate limit outlast a run's configure. */
const lanes = new Map<string, { agent: Agent; lane: Lane }>();

function laneFor(baseUrl: string): { agent: Agent; lane: Lane } {
  const origin = new URL(baseUrl).origin;
  let entry = lanes.get(origin);
  if (!entry) {
    // customTimeouts do not reach dynamic providers, so these are the only deadlines.
    const agent = new Agent({ keepAliveTimeout: 10_000, connect: { timeout: 10_000 }, headersTimeout: 30_000, bodyTimeout: 30_000 });
    entry = { agent, lane: new Lane() };
    lanes.set(origin, entry);
  }
  return entry;
}

function userAgent(): string {
  try {
    // Self-reference by package name: resolves from source, from dist and from a user's node_modules alike.
    return `pulumi-devin/${(require("pulumi-devin/package.json") as { version: string }).version}`;
  } catch {
    return "pulumi-devin/unknown";
  }
}
const USER_AGENT = userAgent();

/** Seconds or an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

type Attempt =
  | { kind: "answer"; status: number; body: unknown; retryAfterMs?: number; serverTime?: number }
  | { kind: "network"; code: string; message: string; cause: NetworkCause };

export class DevinClient {
  constructor(
    readonly settings: Settings,
    private readonly retry: RetryPolicy = retryPolicy(),
  ) {}

  private url(spec: RequestSpec): string {
    const url = new URL(this.settings.baseUrl + spec.path);
    for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }

  private async once(spec: RequestSpec): Promise<Attempt> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.settings.token}`,
      accept: "application/json",
      "user-agent": USER_AGENT,
    };
    if (spec.body !== undefined) headers["content-type"] = "application/json";
    const { agent, lane } = laneFor(this.settings.baseUrl);
    try {
      const res = await lane.run(() =>
        request(this.url(spec), {
          method: spec.method,
          headers,
          body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
          dispatcher: agent,
        }),
      );
      const text = await res.body.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // a non-JSON body (a proxy's HTML error page) is kept as text for the message
      }
      const retryAfterMs = parseRetryAfter(res.headers["retry-after"]);
      if (res.statusCode === 429) lane.rateLimited(retryAfterMs);
      else lane.succeeded();
      const date = Date.parse(String(res.headers.date ?? ""));
      return { kind: "answer", status: res.statusCode, body, retryAfterMs, serverTime: Number.isNaN(date) ? undefined : date / 1000 };
    } catch (e) {
      const err = e as { code?: string; message?: string; cause?: { code?: string } };
      const code = err.code ?? err.cause?.code ?? "UNKNOWN";
      const message = redact(err.message ?? String(e));
      return { kind: "network", code, message, cause: networkCause(code, message) };
    }
  }

  async call<T>(spec: RequestSpec, options: CallOptions<T>): Promise<Response<T>> {
    const started = Date.now();
    const idempotent = IDEMPOTENT.has(spec.method) || options.repeatable === true;
    let last: Attempt | undefined;
    let attempts = 0;
    let ambiguousOnce = false;
    for (;;) {
      attempts += 1;
      last = await this.once(spec);
      if (last.kind === "answer" && answeredByAnotherServer(last.status, last.body)) {
        throw notAnApiError(options.operation, this.settings.baseUrl, spec.method, spec.path, last.status, last.body);
      }
      if (last.kind === "answer" && (last.status < 400 || options.allow?.includes(last.status))) {
        return { status: last.status, body: last.body as T, serverTime: last.serverTime };
      }

      let retryable: boolean;
      let ambiguous = false;
      if (last.kind === "network") {
        retryable = !HOPELESS.has(last.cause) && (idempotent || NEVER_REACHED.has(last.cause));
        ambiguous = !idempotent && !NEVER_REACHED.has(last.cause);
      } else if (last.status === 429) {
        retryable = true;
      } else if (last.status >= 500 && last.status !== 501) {
        retryable = idempotent;
        ambiguous = !idempotent;
      } else {
        retryable = false;
      }

      if (ambiguous) {
        ambiguousOnce = true;
        if (!options.reconcile) break;
        let found: T | undefined;
        try {
          found = await options.reconcile();
        } catch (lookupError) {
          throw outcomeUnknownError(options.operation, describeAttempt(last), lookupError);
        }
        if (found !== undefined) return { status: 200, body: found };
        retryable = true; // it did not happen, so sending it again cannot duplicate it
      }
      if (!retryable || attempts === this.retry.maxAttempts) break;

      const backoff = Math.random() * Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempts - 1));
      const wait = last.kind === "answer" && last.retryAfterMs !== undefined ? last.retryAfterMs : backoff;
      const budget = last.kind === "network" && NEVER_REACHED.has(last.cause) ? this.retry.unreachableMs : this.retry.maxTotalMs;
      if (Date.now() + wait - started > budget) break;
      await new Promise((r) => setTimeout(r, wait));
    }

    if (last.kind === "network") {
      const unknownOutcome = !NEVER_REACHED.has(last.cause) && spec.method !== "GET";
      if (unknownOutcome && !idempotent) throw outcomeUnknownError(options.operation, describeAttempt(last));
      throw new DevinNetworkError(
        networkErrorMessage(options.operation, this.settings.baseUrl, last.cause, last.code, last.message, attempts, unknownOutcome),
        options.operation,
        last.code,
        last.cause,
      );
    }
    if (ambiguousOnce && spec.method === "POST" && !options.reconcile) {
      throw outcomeUnknownError(options.operation, describeAttempt(last));
    }
    throw apiError(options.operation, spec.method, spec.path, last.status, last.body, attempts);
  }

  /** The object at `path`, or undefined where the API answers 404 (it is gone, or never was). */
  async find<T>(path: string, operation: string): Promise<T | undefined> {
    const res = await this.call<T>({ method: "GET", path }, { operation, allow: [404] });
    return res.status === 404 ? undefined : res.body;
  }

  /** Follows `end_cursor` until `has_next_page` is false, `pageSize` at a time (200 unless the endpoint allows fewer). */
  async listAll<T>(path: string, operation: string, query: RequestSpec["query"] = {}, pageSize = 200): Promise<T[]> {
    const items: T[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10_000; page++) {
      const res = await this.call<Page<T>>({ method: "GET", path, query: { ...query, first: pageSize, after } }, { operation });
      items.push(...(res.body.items ?? []));
      if (!res.body.has_next_page || !res.body.end_cursor) return items;
      after = res.body.end_cursor;
    }
    throw new Error(`${operation}: more than 10000 pages; refusing to continue`);
  }

  /**
   * For the lists that page by `limit` and `offset` (schedules): advances the offset by what each page held while
   * `has_next_page` is true; `end_cursor` is ignored.
   */
  async listAllByOffset<T>(path: string, operation: string): Promise<T[]> {
    const items: T[] = [];
    for (let page = 0; page < 10_000; page++) {
      const res = await this.call<Page<T>>({ method: "GET", path, query: { limit: 200, offset: items.length } }, { operation });
      const got = res.body.items ?? [];
      items.push(...got);
      if (!res.body.has_next_page || got.length === 0) return items;
    }
    throw new Error(`${operation}: more than 10000 pages; refusing to continue`);
  }
}

/**
 * An answer no Devin API gives: a 404 that is not a JSON error (the API answers every unknown id with one), or an
 * HTML page. Checked before the caller's `allow`, or a read at a wrong URL would drop the resource from the state as
 * deleted, and a delete would report success.
 */
function answeredByAnotherServer(status: number, body: unknown): boolean {
  if (status === 404) return !looksLikeApiAnswer(body);
  return typeof body === "string" && /^\s*<(!doctype|html)/i.test(body);
}

function describeAttempt(attempt: Attempt): string {
  return attempt.kind === "network"
    ? `the connection failed after the request was sent (${attempt.code})`
    : `the API answered ${attempt.status}`;
}

/** A client for one operation, with the settings of that moment: the stack config, else the environment. */
export function apiClient(values?: ConfiguredValues): DevinClient {
  if (isOffline()) throw new Error("pulumi-devin internal error: a check that runs in the program asked for an API client.");
  return new DevinClient(resolveSettings(process.env, values));
}
