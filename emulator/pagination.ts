import { ApiError } from "./problem";

export interface PageQuery {
  first?: number;
  after?: string | null;
}

export interface Page<T> {
  items: T[];
  end_cursor: string | null;
  has_next_page: boolean;
  total: number;
}

/** JSON schema fragment shared by every list endpoint: `first` is 1..200 (default 100), `after` an opaque cursor. */
export const pageQuerySchema = {
  first: { type: "integer", minimum: 1, maximum: 200, default: 100 },
  after: { type: ["string", "null"] },
} as const;

function decodeCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_seq?: unknown };
    if (typeof parsed.last_seq === "number") return parsed.last_seq;
  } catch {
    // fall through to the validation error
  }
  throw new ApiError(422, "after: invalid cursor", [{ loc: ["query", "after"], msg: "invalid cursor", type: "value_error" }]);
}

/**
 * Cuts one page out of `records`, which are already filtered and sorted. The cursor remembers the sequence number of
 * the last item returned, so objects created or deleted between pages neither repeat nor shift the next page.
 */
export function paginate<R extends { seq: number }, T>(
  records: R[],
  query: PageQuery,
  present: (r: R) => T,
  order: "asc" | "desc" = "asc",
): Page<T> {
  const first = query.first ?? 100;
  let start = 0;
  if (query.after) {
    const last = decodeCursor(query.after);
    start = records.findIndex((r) => (order === "asc" ? r.seq > last : r.seq < last));
    if (start === -1) start = records.length;
  }
  const slice = records.slice(start, start + first);
  const hasNext = start + first < records.length;
  const lastSeq = slice.length > 0 ? slice[slice.length - 1].seq : null;
  return {
    items: slice.map(present),
    end_cursor: hasNext && lastSeq !== null ? Buffer.from(JSON.stringify({ last_seq: lastSeq })).toString("base64") : null,
    has_next_page: hasNext,
    total: records.length,
  };
}

export interface OffsetQuery {
  limit?: number;
  offset?: number;
}

/** The schedules list pages by offset: `limit` 1..200 (default 200) and `offset` (default 0). */
export const offsetQuerySchema = {
  limit: { type: "integer", minimum: 1, maximum: 200, default: 200 },
  offset: { type: "integer", minimum: 0, default: 0 },
} as const;

/** One page by offset, in the usual envelope; `end_cursor` is always null (clients advance `offset` instead). */
export function offsetPage<R, T>(records: R[], query: OffsetQuery, present: (r: R) => T): Page<T> {
  const limit = query.limit ?? 200;
  const offset = query.offset ?? 0;
  return {
    items: records.slice(offset, offset + limit).map(present),
    end_cursor: null,
    has_next_page: offset + limit < records.length,
    total: records.length,
  };
}
