import { beforeEach } from "vitest";
import { configure } from "../../provider/impl/settings";
import { useTestEmulator, type TestEmulator } from "./emulator";

/**
 * One emulator per test file, reset before each test, with the implementation pointed at it through the same
 * `configure()` call the dynamic-provider host makes.
 */
export function useEmulator(): { emu: () => TestEmulator } {
  const emu = useTestEmulator();
  beforeEach(() => configureFor(emu()));
  return { emu };
}

export function configureFor(emu: { url: string; token: string }, overrides: Record<string, string | undefined> = {}): void {
  const values: Record<string, string | undefined> = { "devin:token": emu.token, "devin:apiUrl": `${emu.url}/v3beta1`, ...overrides };
  configure({ config: { get: (k: string) => values[k] } });
}

/** The API calls the emulator saw, as "METHOD /path" without the version prefix or query. */
export async function callsSince(emu: TestEmulator, mark: number): Promise<string[]> {
  return (await emu.requests()).slice(mark).map((r) => `${r.method} ${r.path.split("?")[0].replace(/^\/v3(beta1)?/, "")}`);
}
