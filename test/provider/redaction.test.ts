import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { secret } from "../../provider/impl/secret";
import { configureFor } from "../support/provider";

/**
 * Whatever an API echoes back in an error (the value it was sent, the token it was called with), the message a user
 * sees has neither: a secret's value is masked, and so is every `cog_` token. The emulator never echoes either, so a
 * small server on 127.0.0.1 plays an API that does, in every part of an error body.
 */

const TOKEN = `cog_${"T".repeat(52)}`;
const VALUE = "hunter2-Very-Secret";
/** Another key the server happens to know: no `cog_` token of any kind may pass. */
const OTHER_KEY = `cog_${"o".repeat(40)}`;

type Answer = { status: number; body: unknown };
let server: Server | undefined;

/** Starts the echoing API: `answer` gets what the request carried (its token, its body's value) to echo. */
async function echoingApi(answer: (method: string, echo: string) => Answer): Promise<string> {
  server = createServer(async (req: IncomingMessage, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    const sent = text ? (JSON.parse(text) as { value?: string }) : {};
    const echo = `got value '${sent.value ?? VALUE}' with ${req.headers.authorization} (see also ${OTHER_KEY})`;
    const { status, body } =
      req.method === "GET" && !req.url?.includes("fail-get")
        ? { status: 200, body: { items: [], has_next_page: false, end_cursor: null, total: 0 } }
        : answer(req.method ?? "", echo);
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
}

afterEach(async () => {
  delete process.env.DEVIN_RETRY_BUDGET_SECONDS;
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

const inputs = { orgId: "org-1", key: "NPM_TOKEN", value: VALUE, type: "key-value" as const, isSensitive: true };

async function failureOfCreate(answer: (method: string, echo: string) => Answer): Promise<string> {
  const url = await echoingApi(answer);
  configureFor({ url, token: TOKEN });
  // Preview first, as the engine does: check registers the value as one never to print.
  await secret.check({}, inputs);
  const err = (await secret.create(inputs).catch((e: Error) => e)) as Error;
  expect(err).toBeInstanceOf(Error);
  return err.message;
}

function expectNoCredential(message: string): void {
  expect(message).not.toContain(VALUE);
  expect(message).not.toMatch(/cog_[A-Za-z0-9_-]{4}/);
}

describe("an API that echoes what it was sent", () => {
  it("in a 422's field errors: the message names the field, without the secret's value or any token", async () => {
    const message = await failureOfCreate((_m, echo) => ({
      status: 422,
      body: { status: 422, detail: "Validation failed", errors: [{ loc: ["body", "value"], msg: echo, type: "value_error" }] },
    }));
    expect(message).toContain("the API rejected 'value': got value '[secret]' with Bearer cog_*** (see also cog_***) (422)");
    expectNoCredential(message);
  });

  it("in a legacy FastAPI 422 (detail as a list, the value also in loc)", async () => {
    const message = await failureOfCreate((_m, echo) => ({
      status: 422,
      body: { detail: [{ loc: ["body", VALUE], msg: echo, type: "value_error" }] },
    }));
    expect(message).toMatch(/the API rejected '\[secret\]': got value '\[secret\]'/);
    expectNoCredential(message);
  });

  it.each([400, 403, 404, 409])("in a %i's detail", async (status) => {
    const message = await failureOfCreate((_m, echo) => ({
      status,
      body: { status, detail: echo, errors: status === 400 ? [{ loc: ["body", "key"], msg: echo, type: "x" }] : null },
    }));
    expect(message).toContain(`(${status})`);
    expectNoCredential(message);
  });

  it("in a 5xx of a read, after its retries", async () => {
    process.env.DEVIN_RETRY_BUDGET_SECONDS = "0";
    const url = await echoingApi((_m, echo) => ({ status: 503, body: { detail: echo } }));
    configureFor({ url, token: TOKEN });
    await secret.check({}, inputs);
    const err = (await secret.read("secret-1", { ...inputs, orgId: "fail-get" } as never).catch((e: Error) => e)) as Error;
    expect(err.message).toContain("answered 503");
    expectNoCredential(err.message);
  });
});
