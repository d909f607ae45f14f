/**
 * The emulator's seeded names and defaults, exported by `pulumi-devin/emulator`: apart from the server, whose declarations
 * name Fastify's types, for the reason types.ts gives.
 */
import type { SeedGitConnection } from "./types";

export const SEEDED_ADMIN_NAME = "emulator-admin";
/** The enterprise's seeded human user, a direct Member, so user lists are never empty (as on a real enterprise). */
export const SEEDED_USER_EMAIL = "owner@example.com";
export const DEFAULT_MAX_SESSION_ACU_LIMIT = 50;
/** The git connection a fresh state starts with, so git permissions have something to point at without seeding. */
export const DEFAULT_GIT_CONNECTION: SeedGitConnection = {
  gitProviderType: "github_app",
  name: "GitHub",
  host: "github.com",
  repositories: [
    { repoPath: "example-org/web-app", repoDescription: "The example web application", repoLanguage: "TypeScript" },
    { repoPath: "example-org/infrastructure", repoDescription: "Infrastructure as code", repoLanguage: "HCL" },
  ],
};
