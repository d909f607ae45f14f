import { describe, expect, it } from "vitest";
import { apiClient } from "../../provider/impl/client";
import { readEnterprise } from "../../provider/cli/readEnterprise";
import { configureFor, useEmulator } from "../support/provider";

const { emu } = useEmulator();

describe("what generate reads", () => {
  it("says what the token's role hides, naming the permission, and still reads the rest", async () => {
    await emu().newOrg("eng");
    const { token } = await emu().provision("/v3beta1/enterprise/service-users", "account_member", "reader");
    configureFor({ url: emu().url, token });
    const read = await readEnterprise(apiClient());
    expect(read.hidden).toContain(
      "organizations: not read, since the token's role lacks the ManageOrganizations permission (403); use a token whose role holds it",
    );
    expect(read.hidden).toContain(
      "the IP access list: not read, since the token's role lacks the ManageEnterpriseSettings permission (403); use a token whose role holds it",
    );
    expect(read.orgs).toEqual([]);
    // What the role may read is still read: the service users, itself among them.
    expect(read.serviceUsers.map((su) => su.name)).toContain("reader");
    expect(read.hidden.join("\n")).not.toContain(token);
  });
});
