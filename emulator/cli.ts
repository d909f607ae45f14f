#!/usr/bin/env node
import { parseArgs } from "node:util";
import { startEmulator } from "./server";

const usage = `Usage: devin-emulator [--port N] [--state DIR] [--token cog_...] [--control-plane]

A local Devin Service User API v3 on 127.0.0.1, under /v3 and /v3beta1.
  --port N          port to listen on (default 8787; 0 picks a free one)
  --state DIR       keep state in DIR/state.json so it survives restarts
  --token cog_...   token of the seeded enterprise admin (generated and printed when omitted)
  --control-plane   mount the test control plane under /_emulator/ (request log, faults, reset)`;

/** How to get human users into the enterprise: the seed call needs the control plane, the invite works everywhere. */
function addingUsers(url: string, controlPlane: boolean): string {
  const seedBody = JSON.stringify({
    users: [{ email: "dev@example.com", name: "Dev", enterpriseRoleId: "account_member" }],
    idpUsers: [{ email: "sso@example.com", groups: ["engineering"] }],
  });
  const inviteBody = JSON.stringify({ emails: ["dev@example.com"], enterprise_role_id: "account_member" });
  return controlPlane
    ? `Add users (direct members, and members through IdP groups) with the control plane:\n` +
        `  curl -X POST ${url}/_emulator/seed -H 'content-type: application/json' -d '${seedBody}'`
    : `Add users by inviting them, with DEVIN_TOKEN set to the admin token above (--control-plane adds /_emulator/seed for IdP users):\n` +
        `  curl -X POST ${url}/v3/enterprise/members/users -H "Authorization: Bearer $DEVIN_TOKEN" -H 'content-type: application/json' -d '${inviteBody}'`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8787" },
      state: { type: "string" },
      token: { type: "string" },
      "control-plane": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got '${values.port}'`);
  const emu = await startEmulator({ port, stateDir: values.state, token: values.token, controlPlane: values["control-plane"] });
  console.log(`Devin API emulator listening on ${emu.url} (v3 at ${emu.url}/v3, beta at ${emu.url}/v3beta1)`);
  console.log(`Enterprise admin token: ${emu.token}`);
  if (values.state) console.log(`State: ${values.state}/state.json`);
  console.log(addingUsers(emu.url, values["control-plane"]));
  const stop = () => {
    void emu.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error(`devin-emulator: ${e instanceof Error ? e.message : String(e)}`);
  console.error(usage);
  process.exit(2);
});
