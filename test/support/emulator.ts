import { mkdtempSync } from "node:fs";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator/server";
import type { FaultRule, LoggedRequest } from "../../emulator/control";

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** A started emulator (control plane on) plus small helpers for raw API calls in tests. */
export interface TestEmulator extends RunningEmulator {
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, token?: string | null): Promise<ApiResponse<T>>;
  requests(): Promise<LoggedRequest[]>;
  clearRequests(): Promise<void>;
  faults(rules: FaultRule[]): Promise<void>;
  reset(): Promise<void>;
  advanceClock(seconds: number): Promise<void>;
}

export function tempDir(prefix = "devin-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emu = await startEmulator({ port: 0, controlPlane: true, ...options });
  const call = async <T>(method: string, path: string, body?: unknown, token: string | null = emu.token) => {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(emu.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
  };
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await call(method, `/_emulator/${path}`, body, null);
    if (res.status >= 300) throw new Error(`control plane ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };
  return Object.assign(emu, {
    call,
    requests: async () => ((await control("GET", "requests")).body as unknown as { requests: LoggedRequest[] }).requests,
    clearRequests: async () => void (await control("DELETE", "requests")),
    faults: async (rules: FaultRule[]) => void (await control("PUT", "faults", { faults: rules })),
    reset: async () => void (await control("POST", "reset")),
    advanceClock: async (seconds: number) => void (await control("POST", "clock", { advanceSeconds: seconds })),
  });
}

/** One emulator per test file, started once and reset before each test: the fixture every emulator-backed suite uses. */
export function useTestEmulator(options: EmulatorOptions = {}): () => TestEmulator {
  let emu: TestEmulator | undefined;
  beforeAll(async () => {
    emu = await startTestEmulator(options);
  });
  beforeEach(async () => {
    await emu?.reset();
  });
  afterAll(async () => {
    await emu?.close();
  });
  return () => {
    if (!emu) throw new Error("the test emulator is not started yet: call it inside a test or hook");
    return emu;
  };
}
