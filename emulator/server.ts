import Ajv from "ajv";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { installAuth } from "./auth";
import { ControlPlane } from "./control";
import { Clock, hashToken, newId, newToken } from "./ids";
import { findRole } from "./permissions";
import { roleRef } from "./presenters";
import { ApiError, invalid, type FieldError } from "./problem";
import { acuLimitRoutes } from "./routes/acuLimits";
import { apiKeyRoutes } from "./routes/apiKeys";
import { gitRoutes } from "./routes/git";
import { identityRoutes } from "./routes/identity";
import { idpGroupRoutes } from "./routes/idpGroups";
import { ipAccessListRoutes } from "./routes/ipAccessList";
import { knowledgeRoutes } from "./routes/knowledge";
import { organizationRoutes } from "./routes/organizations";
import { orgGroupLimitRoutes } from "./routes/orgGroupLimits";
import { orgTagRoutes } from "./routes/orgTags";
import { playbookRoutes } from "./routes/playbooks";
import { reportRoutes } from "./routes/reports";
import { scheduleRoutes } from "./routes/schedules";
import { secretRoutes } from "./routes/secrets";
import { serviceUserRoutes } from "./routes/serviceUsers";
import { userRoutes } from "./routes/users";
import { DEFAULT_GIT_CONNECTION, DEFAULT_MAX_SESSION_ACU_LIMIT, SEEDED_ADMIN_NAME, SEEDED_USER_EMAIL } from "./defaults";
import { SEEDERS } from "./seed";
import { emptyState, issueApiKey, Store, userByEmail, type Emulator, type ServiceUserRecord } from "./store";
import type { EmulatorOptions, RunningEmulator } from "./types";

/**
 * Ensures the seeded enterprise admin exists and that `token` is one of its active keys. Only the token's hash is kept.
 */
function seedAdmin(emu: Emulator, token: string): ServiceUserRecord {
  const state = emu.store.state;
  const adminRole = findRole("account_admin");
  if (!adminRole) throw new Error("account_admin role missing");
  let admin = Object.values(state.serviceUsers).find((su) => su.name === SEEDED_ADMIN_NAME && su.deleted_at === null);
  if (!admin) {
    admin = {
      service_user_id: newId("service-user"),
      name: SEEDED_ADMIN_NAME,
      expires_at: null,
      deleted_at: null,
      role_assignments: [{ role: roleRef(adminRole), org_id: null }],
      home_org_id: null,
      created_at: emu.clock.now(),
      seq: emu.store.nextSeq(),
    };
    state.serviceUsers[admin.service_user_id] = admin;
  }
  if (emu.store.keyByTokenHash(hashToken(token))?.service_user_id !== admin.service_user_id) {
    issueApiKey(emu, admin, "emulator-admin", null, token);
  }
  return admin;
}

/** Ensures the seeded user exists; once it does, its roles are whatever the API has made them. */
function seedOwner(emu: Emulator): void {
  if (userByEmail(emu, SEEDED_USER_EMAIL)) return;
  SEEDERS.users.apply(emu, [{ email: SEEDED_USER_EMAIL, name: "Enterprise Owner", enterpriseRoleId: "account_member" }]);
}

/** Connections cannot be deleted through the API, so a state without any is a fresh one (or one from before them). */
function seedGitConnection(emu: Emulator): void {
  if (Object.keys(emu.store.state.gitConnections).length > 0) return;
  SEEDERS.gitConnections.apply(emu, [DEFAULT_GIT_CONNECTION]);
}

function fieldErrors(error: FastifyError): FieldError[] {
  const part = error.validationContext === "querystring" ? "query" : error.validationContext === "params" ? "path" : "body";
  return (error.validation ?? []).map((v) => {
    const loc: (string | number)[] = [part, ...v.instancePath.split("/").filter(Boolean)];
    const missing = (v.params as { missingProperty?: string }).missingProperty;
    if (missing) loc.push(missing);
    return { loc, msg: v.message ?? "invalid", type: v.keyword };
  });
}

function sendProblem(reply: FastifyReply, request: FastifyRequest, err: ApiError): FastifyReply {
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply
    .code(err.status)
    .type("application/problem+json")
    .send(err.toProblem(request.url.split("?")[0]));
}

/** Builds the Fastify app; exported for tests that want `inject` without a socket. */
export function buildApp(emu: Emulator, control: ControlPlane | null, reset: () => Promise<void>): FastifyInstance {
  const app = Fastify({ logger: false, forceCloseConnections: true });

  // Bodies are validated strictly, as pydantic does for a string field given a number; query strings are text on the
  // wire, so they are coerced.
  const ajvOptions = { useDefaults: true, removeAdditional: true, allErrors: true, allowUnionTypes: true } as const;
  const strict = new Ajv({ ...ajvOptions, coerceTypes: false });
  const coercing = new Ajv({ ...ajvOptions, coerceTypes: "array" });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === "body" ? strict : coercing).compile(schema));

  // A real server's Date header is its own time; the emulator's is its clock, which tests move forward, so that a
  // client that measures ages in the server's time (an API key due for rotation) sees the time the API sees.
  app.addHook("onSend", async (_request, reply) => {
    reply.header("date", new Date(emu.clock.now() * 1000).toUTCString());
  });

  // Faults and the rate limit apply before authentication, so the control plane's hooks go first.
  control?.install(app, emu, reset);
  installAuth(app, emu, control ?? undefined);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) return sendProblem(reply, request, error);
    if (error.validation) {
      return sendProblem(reply, request, invalid(fieldErrors(error)));
    }
    if (error.code?.startsWith("FST_ERR_CTP_") || error instanceof SyntaxError) {
      return sendProblem(
        reply,
        request,
        new ApiError(422, `body: ${error.message}`, [{ loc: ["body"], msg: error.message, type: "json_invalid" }]),
      );
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    return sendProblem(reply, request, new ApiError(status, status === 500 ? "Internal server error" : error.message));
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, new ApiError(404, `No endpoint ${request.method} ${request.url.split("?")[0]}`)),
  );

  for (const prefix of ["/v3", "/v3beta1"]) {
    void app.register(
      async (scoped) => {
        organizationRoutes(scoped, emu);
        serviceUserRoutes(scoped, emu);
        apiKeyRoutes(scoped, emu);
        acuLimitRoutes(scoped, emu);
        identityRoutes(scoped, emu);
        reportRoutes(scoped, emu);
        userRoutes(scoped, emu);
        idpGroupRoutes(scoped, emu);
        ipAccessListRoutes(scoped, emu);
        orgGroupLimitRoutes(scoped, emu);
        orgTagRoutes(scoped, emu);
        gitRoutes(scoped, emu);
        playbookRoutes(scoped, emu);
        knowledgeRoutes(scoped, emu);
        scheduleRoutes(scoped, emu);
        secretRoutes(scoped, emu);
      },
      { prefix },
    );
  }
  return app;
}

/** Starts a local Devin v3 API on 127.0.0.1: what index.ts exports as `startEmulator`, which documents it. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const token = options.token ?? newToken();
  if (!token.startsWith("cog_")) throw new Error("token must start with cog_ (Devin v3 credentials do)");
  const emu: Emulator = {
    store: new Store(options.stateDir ?? null),
    clock: new Clock(),
    defaultMaxSessionAcuLimit: options.defaultMaxSessionAcuLimit ?? DEFAULT_MAX_SESSION_ACU_LIMIT,
  };
  const control = options.controlPlane ? new ControlPlane() : null;
  let admin = seedAdmin(emu, token);
  seedOwner(emu);
  seedGitConnection(emu);
  await emu.store.commit();

  const reset = async () => {
    emu.store.state = emptyState();
    emu.clock = new Clock();
    control?.clear();
    admin = seedAdmin(emu, token);
    seedOwner(emu);
    seedGitConnection(emu);
    await emu.store.commit();
  };

  const app = buildApp(emu, control, reset);
  await app.listen({ host: "127.0.0.1", port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    get adminServiceUserId() {
      return admin.service_user_id;
    },
    async close() {
      await app.close();
      await emu.store.flush();
    },
  };
}
