/** One field-level validation failure, in FastAPI's `loc`/`msg`/`type` shape. */
export interface FieldError {
  loc: (string | number)[];
  msg: string;
  type: string;
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** An RFC 9457 ProblemDetail body, the error shape of the newer v3 spec. */
export interface ProblemDetail {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string | null;
  errors?: FieldError[];
}

/** Thrown by route handlers; the server's error handler renders it as `application/problem+json`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }

  toProblem(instance: string | null): ProblemDetail {
    const body: ProblemDetail = {
      type: "about:blank",
      title: TITLES[this.status] ?? "Error",
      status: this.status,
      detail: this.detail,
      instance,
    };
    if (this.errors) body.errors = this.errors;
    return body;
  }
}

/** A 422 listing every failure; the detail names each field without its `body`/`query` prefix. */
export function invalid(errors: FieldError[]): ApiError {
  return new ApiError(422, errors.map((e) => `${e.loc.slice(1).join(".") || e.loc[0]}: ${e.msg}`).join("; "), errors);
}

export function unprocessable(loc: (string | number)[], msg: string, type = "value_error"): ApiError {
  return invalid([{ loc, msg, type }]);
}
