import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { bearerToken, type ClientNetwork } from "./auth";
import { hashToken, secretValueMatches } from "./ids";
import { parseAddress } from "./ipRanges";
import { ApiError } from "./problem";
import { seed, seedBodySchema } from "./seed";
import { own } from "./records";
import type { ConsumptionRecord, Emulator } from "./store";
import { FAULT_KINDS, type FaultRule, type Features, type LoggedRequest } from "./types";

/** The request header that stands for the client's address, honoured only while the control plane is mounted. */
export const CLIENT_IP_HEADER = "x-emulator-client-ip";

interface ActiveRule extends FaultRule {
  pattern: RegExp;
  fired: number;
  seen: number;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(
    `^${escaped
      .replace(/\*\*/g, "\u0000")
      .replace(/\*/g, "[^/]*")
      .replace(/\u0000/g, ".*")}$`,
  );
}

declare module "fastify" {
  interface FastifyRequest {
    dropAfterCommit: boolean;
    delayAfterCommitMs: number;
    startedAt: number;
    logged: boolean;
  }
}

/**
 * The test control plane under /_emulator/: request log, reset, fault injection, a per-token rate limit, seeding,
 * feature flags, and the client address and IP-list switch that let tests on 127.0.0.1 act as another address without
 * locking themselves out. It is not part of the Devin API and is only mounted when enabled.
 */
export class ControlPlane implements ClientNetwork {
  private readonly log: LoggedRequest[] = [];
  private rules: ActiveRule[] = [];
  private rateLimit: { requestsPerSecond: number } | null = null;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private ipListEnforced = true;

  clientAddress(request: FastifyRequest): string {
    const header = request.headers[CLIENT_IP_HEADER];
    if (header === undefined) return request.ip;
    const address = Array.isArray(header) ? header[0] : header;
    if (!parseAddress(address)) throw new ApiError(400, `${CLIENT_IP_HEADER}: '${address}' is not an IPv4 or IPv6 address`);
    return address;
  }

  ipAccessListEnforced(): boolean {
    return this.ipListEnforced;
  }

  /**
   * Mounts the /_emulator/ routes and the hooks that fault, rate-limit and log API requests. Install it before the auth
   * hook: faults and the rate limit act in front of authentication, so a request with any Bearer token, valid or not,
   * is faulted and counted. Control-plane paths are never faulted, rate-limited or logged.
   */
  install(app: FastifyInstance, emu: Emulator, reset: () => Promise<void>): void {
    app.decorateRequest("dropAfterCommit", false);
    app.decorateRequest("delayAfterCommitMs", 0);
    app.decorateRequest("startedAt", 0);
    app.decorateRequest("logged", false);

    app.addHook("onRequest", async (request, reply) => {
      request.startedAt = Date.now();
      if (request.url.startsWith("/_emulator/")) return;
      if (await this.applyFaults(request, reply)) return reply;
      const token = bearerToken(request);
      if (token !== null) this.checkRateLimit(hashToken(token));
    });

    app.addHook("onSend", async (request, reply, payload) => {
      if (request.delayAfterCommitMs > 0) await new Promise((r) => setTimeout(r, request.delayAfterCommitMs));
      if (request.dropAfterCommit && reply.statusCode < 400) {
        // The mutation is committed; the client never learns it.
        this.record(request, 0);
        request.raw.socket.destroy();
      }
      return payload;
    });

    app.addHook("onResponse", async (request, reply) => {
      this.record(request, reply.statusCode);
    });

    this.routes(app, emu, reset);
  }

  private record(request: FastifyRequest, status: number): void {
    if (request.logged || request.url.startsWith("/_emulator")) return;
    request.logged = true;
    this.log.push({
      method: request.method,
      path: request.url,
      status,
      time: request.startedAt,
      durationMs: Date.now() - request.startedAt,
      userAgent: request.headers["user-agent"] ?? null,
    });
  }

  /** Applies latency and the first firing fault; returns true when the request was answered or cut here. */
  private async applyFaults(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const path = request.url.split("?")[0];
    for (const rule of this.rules) {
      if (rule.method && rule.method !== "*" && rule.method.toUpperCase() !== request.method) continue;
      if (!rule.pattern.test(path)) continue;
      rule.seen += 1;
      if (rule.seen <= (rule.skip ?? 0)) continue;
      if (rule.times !== undefined && rule.fired >= rule.times) continue;
      if (Math.random() >= (rule.probability ?? 1)) continue;
      rule.fired += 1;
      switch (rule.kind) {
        case "latency":
          await new Promise((r) => setTimeout(r, rule.latencyMs ?? 0));
          continue;
        case "rate-limit":
          throw new ApiError(429, "Rate limit exceeded (injected fault)", undefined, {
            "retry-after": String(rule.retryAfterSeconds ?? 1),
          });
        case "server-error": {
          const status = rule.status ?? 500;
          throw new ApiError(
            status,
            status === 503 ? "Service temporarily unavailable (injected fault)" : "Internal server error (injected fault)",
          );
        }
        case "drop":
          this.record(request, 0);
          reply.hijack();
          request.raw.socket.destroy();
          return true;
        case "commit-then-drop":
          request.dropAfterCommit = true;
          continue;
        case "commit-then-delay":
          request.delayAfterCommitMs += rule.latencyMs ?? 0;
          continue;
      }
    }
    return false;
  }

  /** A token bucket per credential, refilled at the configured rate, one request of burst per unit of rate. */
  private checkRateLimit(credential: string): void {
    if (!this.rateLimit) return;
    const rate = this.rateLimit.requestsPerSecond;
    const now = Date.now();
    const bucket = this.buckets.get(credential) ?? { tokens: rate, at: now };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    this.buckets.set(credential, bucket);
    if (bucket.tokens < 1) {
      const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
      throw new ApiError(429, `Rate limit of ${rate} requests per second exceeded`, undefined, { "retry-after": String(wait) });
    }
    bucket.tokens -= 1;
  }

  private setFaults(rules: FaultRule[]): void {
    this.rules = rules.map((r) => ({ ...r, pattern: globToRegExp(r.path), fired: 0, seen: 0 }));
  }

  clear(): void {
    this.log.length = 0;
    this.rules = [];
    this.rateLimit = null;
    this.buckets.clear();
    this.ipListEnforced = true;
  }

  private routes(app: FastifyInstance, emu: Emulator, reset: () => Promise<void>): void {
    app.get("/_emulator/requests", async () => ({ requests: this.log }));
    app.delete("/_emulator/requests", async (_req, reply) => {
      this.log.length = 0;
      return reply.code(204).send();
    });
    app.post("/_emulator/reset", async (_req, reply) => {
      await reset();
      return reply.code(204).send();
    });
    app.get("/_emulator/faults", async () => ({
      faults: this.rules.map(({ pattern: _p, seen: _s, ...rule }) => rule),
    }));
    app.put<{ Body: { faults: FaultRule[] } }>(
      "/_emulator/faults",
      {
        schema: {
          body: {
            type: "object",
            required: ["faults"],
            properties: {
              faults: {
                type: "array",
                items: {
                  type: "object",
                  required: ["kind", "path"],
                  properties: {
                    kind: { type: "string", enum: [...FAULT_KINDS] },
                    method: { type: "string" },
                    path: { type: "string", minLength: 1 },
                    probability: { type: "number", minimum: 0, maximum: 1 },
                    times: { type: "integer", minimum: 0 },
                    skip: { type: "integer", minimum: 0 },
                    latencyMs: { type: "integer", minimum: 0 },
                    retryAfterSeconds: { type: "integer", minimum: 0 },
                    status: { type: "integer", enum: [500, 503] },
                  },
                },
              },
            },
          },
        },
      },
      async (req) => {
        this.setFaults(req.body.faults);
        return { faults: req.body.faults };
      },
    );
    app.delete("/_emulator/faults", async (_req, reply) => {
      this.setFaults([]);
      return reply.code(204).send();
    });
    app.put<{ Body: { requestsPerSecond: number | null } }>(
      "/_emulator/rate-limit",
      {
        schema: {
          body: {
            type: "object",
            required: ["requestsPerSecond"],
            properties: { requestsPerSecond: { type: ["number", "null"], exclusiveMinimum: 0 } },
          },
        },
      },
      async (req) => {
        const rps = req.body.requestsPerSecond;
        this.rateLimit = rps === null ? null : { requestsPerSecond: rps };
        this.buckets.clear();
        return { requestsPerSecond: rps };
      },
    );
    app.post<{ Body: { advanceSeconds: number } }>(
      "/_emulator/clock",
      { schema: { body: { type: "object", required: ["advanceSeconds"], properties: { advanceSeconds: { type: "integer" } } } } },
      async (req) => {
        emu.clock.advance(req.body.advanceSeconds);
        return { now: emu.clock.now() };
      },
    );
    app.post<{ Body: { records: ConsumptionRecord[] } }>("/_emulator/consumption", async (req, reply) => {
      emu.store.state.consumption.push(...req.body.records);
      await emu.store.commit();
      return reply.code(204).send();
    });
    app.post<{ Body: Record<string, unknown> }>("/_emulator/seed", { schema: { body: seedBodySchema } }, async (req) => {
      const created = seed(emu, req.body);
      await emu.store.commit();
      return created;
    });
    // Secrets are write-only in the API; this tells a test whether a client sent the value it meant to, without the
    // emulator ever keeping or showing the value.
    app.post<{ Params: { secret_id: string }; Body: { value: string } }>(
      "/_emulator/secrets/:secret_id/check",
      { schema: { body: { type: "object", required: ["value"], properties: { value: { type: "string" } } } } },
      async (req) => {
        const secret = own(emu.store.state.secrets, req.params.secret_id);
        if (!secret) throw new ApiError(404, `Secret ${req.params.secret_id} not found`);
        return { matches: secretValueMatches(secret.value_hash, req.body.value) };
      },
    );
    app.get("/_emulator/features", async () => emu.store.state.features);
    app.put<{ Body: Partial<Features> }>(
      "/_emulator/features",
      {
        schema: {
          body: { type: "object", properties: { orgGroupLimits: { type: "boolean" }, sessionTags: { type: "boolean" } } },
        },
      },
      async (req) => {
        emu.store.state.features = { ...emu.store.state.features, ...req.body };
        await emu.store.commit();
        return emu.store.state.features;
      },
    );
    const enforcement = "/_emulator/ip-access-list/enforcement";
    app.get(enforcement, async () => ({ enabled: this.ipListEnforced }));
    app.put<{ Body: { enabled: boolean } }>(
      enforcement,
      { schema: { body: { type: "object", required: ["enabled"], properties: { enabled: { type: "boolean" } } } } },
      async (req) => {
        this.ipListEnforced = req.body.enabled;
        return { enabled: this.ipListEnforced };
      },
    );
  }
}
