import { pageQuerySchema } from "./pagination";

/** JSON-schema fragments that several endpoint families share. */

/** The query of a plain list: `first` and `after`. */
export const pageQuery = { type: "object", properties: pageQuerySchema } as const;

/** `{role_id}`: the body of every role assignment and change. */
export const roleBody = { type: "object", required: ["role_id"], properties: { role_id: { type: "string", minLength: 1 } } } as const;

/** The API documents no format beyond "email"; the emulator asks for one `@` with text on both sides (see README). */
export const emailSchema = { type: "string", minLength: 3, maxLength: 320, pattern: "^[^@\\s]+@[^@\\s]+$" } as const;

/** Path parameters, all strings; Fastify has already percent-decoded them (`%2F` included). */
export function pathParams<const N extends string>(...names: N[]) {
  return { type: "object", properties: Object.fromEntries(names.map((n) => [n, { type: "string" }])) as Record<N, { type: "string" }> };
}
