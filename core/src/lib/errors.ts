/** The closed set of error codes the API answers with; each has one HTTP status and title. */
export const errorCodes = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  unauthorized: { status: 401, title: 'Missing or invalid API key' },
  forbidden: { status: 403, title: 'This key may not do that' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict with the current state' },
  invalid_transition: { status: 409, title: 'That status change is not allowed' },
  not_referred: { status: 409, title: 'Not a referred participant' },
  idempotency_in_progress: { status: 409, title: 'A request with this Idempotency-Key is still running' },
  payload_too_large: { status: 413, title: 'Request body too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  idempotency_mismatch: { status: 422, title: 'Idempotency-Key reused with a different request' },
  unprocessable: { status: 422, title: 'The request cannot be carried out' },
  rate_limited: { status: 429, title: 'Too many requests' },
  vendor_error: { status: 502, title: 'The vendor refused the request' },
  internal: { status: 500, title: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** One failing field of a request: `path` is dotted (`reward_rules.0.value.amount`). */
export interface FieldError {
  path: string;
  message: string;
}

/** RFC 9457 problem details, as every error response of the API carries them. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
  [extra: string]: unknown;
}

/** The error core throws; the HTTP layer turns it into problem+json. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    detail: string,
    readonly errors?: FieldError[],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.status = errorCodes[code].status;
  }

  toProblem(): ProblemDetails {
    return {
      type: `urn:referloop:problem:${this.code}`,
      title: errorCodes[this.code].title,
      status: this.status,
      detail: this.message,
      code: this.code,
      ...(this.errors?.length ? { errors: this.errors } : {}),
      ...this.extra,
    };
  }
}

/** Shorthand for the most common error: something of this workspace does not exist. */
export function notFound(what: string, id: string): ApiError {
  return new ApiError('not_found', `No ${what} with id or code '${id}' in this workspace`);
}

/** A validation error naming one field. */
export function invalidField(path: string, message: string): ApiError {
  return new ApiError('validation_failed', `${path}: ${message}`, [{ path, message }]);
}
