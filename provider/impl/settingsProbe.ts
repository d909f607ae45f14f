import { createHash } from "node:crypto";
import { paths } from "./api";
import { apiClient } from "./client";
import { apiError, notAnApiError } from "./errors";
import { run } from "./runState";

/**
 * One read that proves the token and the URL before a run writes anything, so that a wrong token or a URL with no
 * Devin API behind it fails the preview, once, instead of the `up` halfway through. It is made only when a run is
 * about to write (a create, or a diff that finds a change): an unchanged stack's preview sends no request.
 *
 * `GET /v3/self` is the cheapest read any token may make (no permission, or ReadAccountMeta, which every service user
 * holds). Its outcome, failure included, is kept for the run only (`run.probes`): a fixed setting is seen by the next
 * run.
 */

const OPERATION = "check devin:token and devin:apiUrl";

/** Resolves when the settings reach the Devin API and it accepts the token; rejects with the one error that says why not. */
export function verifySettings(): Promise<void> {
  const client = apiClient();
  const key = createHash("sha256").update(`${client.settings.baseUrl}\n${client.settings.token}`).digest("hex");
  let probe = run.probes.get(key);
  if (!probe) {
    probe = (async () => {
      const res = await client.call<unknown>({ method: "GET", path: paths.self }, { operation: OPERATION, allow: [401, 403, 404] });
      if (res.status === 401) throw apiError(OPERATION, "GET", paths.self, 401, res.body, 1);
      // Every Devin API serves /v3/self, so a 404 there is not a missing object: no API is at this URL.
      if (res.status === 404 || (res.status < 300 && (res.body === null || typeof res.body !== "object"))) {
        throw notAnApiError(OPERATION, client.settings.baseUrl, "GET", paths.self, res.status, res.body);
      }
      // 403: the token is valid; its role merely lacks ReadAccountMeta, which the writes do not need.
    })();
    run.probes.set(key, probe);
  }
  return probe;
}
