import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestEmulator } from "../support/emulator";
import { ROOT } from "../support/host";
import { expectPluginLifecycle } from "../support/plugin";
import { startScannedEmulator, TestStack } from "../support/pulumi";

/**
 * A Go program on the generated Go SDK (sdk/go) through the provider plugin, on the real CLI and Go language host.
 * The program's module takes the SDK from this checkout with a `replace`, as a user's would from a clone or vendor copy.
 */

const GO_MOD = `module devin-plugin-go

go 1.25

require (
	github.com/pulumi-devin/pulumi-devin/sdk/go v0.0.0
	github.com/pulumi/pulumi/sdk/v3 v3.248.0
)

replace github.com/pulumi-devin/pulumi-devin/sdk/go => ${join(ROOT, "sdk/go")}
`;

const MAIN_GO = `package main

import (
	"github.com/pulumi-devin/pulumi-devin/sdk/go/devin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		limit := config.GetInt(ctx, "devin-plugin-go:acuLimit")
		if limit == 0 {
			limit = 100
		}
		eng, err := devin.NewOrganization(ctx, "eng", &devin.OrganizationArgs{
			Name:     pulumi.String("go-eng"),
			AcuLimit: pulumi.Int(limit),
		})
		if err != nil {
			return err
		}
		ci, err := devin.NewServiceUser(ctx, "ci", &devin.ServiceUserArgs{
			Name:  pulumi.String("go-ci"),
			OrgId: eng.OrgId.ToStringPtrOutput(),
			Role:  pulumi.String("Member"),
		})
		if err != nil {
			return err
		}
		ctx.Export("orgId", eng.OrgId)
		ctx.Export("apiKey", ci.ApiKey)
		return nil
	})
}
`;

const PULUMI_YAML = `name: devin-plugin-go
runtime: go
plugins:
  providers:
    - name: devin
      path: ${join(ROOT, "bin")}
`;

let emu: TestEmulator;
let stack: TestStack;

beforeAll(async () => {
  const started = await startScannedEmulator();
  emu = started.emu;
  const dir = join(ROOT, "test/e2e/.work", randomUUID());
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Pulumi.yaml"), PULUMI_YAML);
  writeFileSync(join(dir, "go.mod"), GO_MOD);
  writeFileSync(join(dir, "main.go"), MAIN_GO);
  // go.sum, from the module cache (or the Go module proxy on a fresh machine).
  execFileSync("go", ["mod", "tidy"], { cwd: dir, stdio: "pipe", env: { ...process.env, GOFLAGS: "-mod=mod" } });
  stack = await TestStack.forProject(emu, dir, undefined, dir);
  stack.scanDirs.push(started.stateDir);
}, 600_000);

afterAll(async () => {
  await emu.close();
  await stack.finish();
});

describe("a Go program through pulumi-resource-devin", () => {
  it("creates, previews a no-op with no request, updates in place, sees drift on refresh, and destroys", { timeout: 600_000 }, async () => {
    await expectPluginLifecycle(stack, emu, "go-eng");
  });
});
