import { Agent, request } from "undici";
import { apiError, DevinNetworkError, redact } from "./errors";
import type { Settings } from "./settings";

/**
 * The only code in pulumi-devin that speaks HTTP. Every rule about timeouts, retries, concurrency and ambiguous
 * failures lives here.
 *
 * Retry rules:
 * - GET, PUT and DELETE are idempotent: retried on network errors, 429 and 5xx (except 501).
 * - POST and PATCH are retried only on 429, or when the request certainly never reached the server (connection
 *   refused, connect timeout, DNS failure).
 * - A POST that fails ambiguously (dropped connection or timeout after sending, or a 5xx) may have created the object.
 *   If the caller gave a `reconcile` lookup, it runs before any retry: a found object is adopted, otherwise the POST is
 *   retried. Without one, the error says the outcome is unknown.
 * - Backoff is exponential with full jitter; `Retry-After` is honoured; attempts and total time are bounded.
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
}

export interface Response<T> {
  status: number;
  body: T;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Total time budget for one call including waits. */
  maxTotalMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 10_000, maxTotalMs: 90_000 };

/** Per-process cap on requests in flight; the engine runs up to 4×CPUs resource operations at once. */
const MAX_IN_FLIGHT = Number(process.env.DEVIN_MAX_CONCURRENCY) || 8;

const NEVER_REACHED = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);
const IDEMPOTENT = new Set<Method>(["GET", "PUT", "DELETE"]);

class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.queue.push(r));
    this.active += 1;
    try {
      return await fn();
    } finally {
      this.active -= 1;
      this.queue.shift()?.();
    }
  }
}

const inFlight = new Semaphore(MAX_IN_FLIGHT);
const agents = new Map<string, Agent>();

function agentFor(baseUrl: string): Agent {
  const origin = new URL(baseUrl).origin;
  let agent = agents.get(origin);
  if (!agent) {
    // customTimeouts do not reach dynamic providers, so these are the only deadlines.
    agent = new Agent({ keepAliveTimeout: 10_000, connect: { timeout: 10_000 }, headersTimeout: 30_000, bodyTimeout: 30_000 });
    agents.set(origin, agent);
  }
  return agent;
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

type Attempt = { kind: "answer"; status: number; body: unknown; retryAfterMs?: number } | { kind: "network"; code: string; message: string };

export class DevinClient {
  constructor(
    readonly settings: Settings,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
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
    try {
      const res = await inFlight.run(() =>
        request(this.url(spec), {
          method: spec.method,
          headers,
          body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
          dispatcher: agentFor(this.settings.baseUrl),
        }),
      );
      const text = await res.body.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // a non-JSON body (a proxy's HTML error page) is kept as text for the message
      }
      return { kind: "answer", status: res.statusCode, body, retryAfterMs: parseRetryAfter(res.headers["retry-after"]) };
    } catch (e) {
      const err = e as { code?: string; message?: string; cause?: { code?: string } };
      return { kind: "network", code: err.code ?? err.cause?.code ?? "UNKNOWN", message: redact(err.message ?? String(e)) };
    }
  }

  async call<T>(spec: RequestSpec, options: CallOptions<T>): Promise<Response<T>> {
    const started = Date.now();
    const idempotent = IDEMPOTENT.has(spec.method);
    let last: Attempt | undefined;
    let attempts = 0;
    for (let attempt = 1; attempt <= this.retry.maxAttempts; attempt++) {
      attempts = attempt;
      last = await this.once(spec);
      if (last.kind === "answer" && (last.status < 400 || options.allow?.includes(last.status))) {
        return { status: last.status, body: last.body as T };
      }

      let retryable: boolean;
      let ambiguous = false;
      if (last.kind === "network") {
        retryable = idempotent || NEVER_REACHED.has(last.code);
        ambiguous = !retryable;
      } else if (last.status === 429) {
        retryable = true;
      } else if (last.status >= 500 && last.status !== 501) {
        retryable = idempotent;
        ambiguous = !idempotent;
      } else {
        retryable = false;
      }

      if (ambiguous) {
        if (!options.reconcile) break;
        const found = await options.reconcile();
        if (found !== undefined) return { status: 200, body: found };
        retryable = true; // it did not happen, so sending it again cannot duplicate it
      }
      if (!retryable || attempt === this.retry.maxAttempts) break;

      const backoff = Math.random() * Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
      const wait = last.kind === "answer" && last.retryAfterMs !== undefined ? last.retryAfterMs : backoff;
      if (Date.now() + wait - started > this.retry.maxTotalMs) break;
      await new Promise((r) => setTimeout(r, wait));
    }

    if (last?.kind === "network") {
      const unknownOutcome = !idempotent && !NEVER_REACHED.has(last.code);
      throw new DevinNetworkError(
        `${options.operation} failed: could not reach the Devin API at ${this.settings.baseUrl} (${last.code}: ${last.message})` +
          (attempts > 1 ? ` after ${attempts} attempts` : "") +
          (unknownOutcome
            ? `. The request may or may not have been applied${spec.method === "POST" ? "" : "; 'pulumi refresh' shows which"}.`
            : `. Check devin:apiUrl (or DEVIN_API_URL) and that the API is reachable from here.`),
        options.operation,
        last.code,
      );
    }
    const answer = last as Extract<Attempt, { kind: "answer" }>;
    throw apiError(options.operation, spec.method, spec.path, answer.status, answer.body, attempts);
  }

  /** Follows `end_cursor` until `has_next_page` is false, 200 at a time. */
  async listAll<T>(path: string, operation: string, query: RequestSpec["query"] = {}): Promise<T[]> {
    const items: T[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10_000; page++) {
      const res = await this.call<{ items?: T[]; end_cursor?: string | null; has_next_page?: boolean }>(
        { method: "GET", path, query: { ...query, first: 200, after } },
        { operation },
      );
      items.push(...(res.body.items ?? []));
      if (!res.body.has_next_page || !res.body.end_cursor) return items;
      after = res.body.end_cursor;
    }
    throw new Error(`${operation}: more than 10000 pages; refusing to continue`);
  }
}
