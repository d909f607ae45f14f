/**
 * `pulumi-resource-devin`: the provider plugin. The engine starts it with its own address as the argument and reads
 * the port of the gRPC server from the first line of stdout.
 *
 * It exits when the engine goes away. A `kill -9` of `pulumi` leaves its plugins running, and a plugin that goes on
 * would send the rest of the run's requests with nobody to record them; the engine is its parent, so a new parent
 * means the engine is gone. What it was creating is found by the next run's duplicate guard, as after any lost answer.
 */
import { serve } from "./server";

const ENGINE_CHECK_MS = 250;

async function main(): Promise<void> {
  const engine = process.ppid;
  const { port } = await serve();
  process.stdout.write(`${port}\n`);
  setInterval(() => {
    if (process.ppid !== engine) process.exit(1);
  }, ENGINE_CHECK_MS).unref();
  // The engine closes the plugin by a signal; nothing to flush (every request's outcome went back to the engine).
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(0));
}

main().catch((e: unknown) => {
  process.stderr.write(`pulumi-resource-devin could not start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
