import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";

/**
 * Whether the program runs under `pulumi.runtime.setMocks` (a unit test): lookups then go through the mocks' `call`,
 * and the program-side input check counts values made from other resources' outputs (the test's inventions) as
 * unknown. The SDK exports no public test for it; its own monitor under mocks is a `MockMonitor`.
 */
export function underPulumiMocks(): boolean {
  return pulumi.runtime.getMonitor() instanceof MockMonitor;
}
