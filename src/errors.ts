/**
 * The one catalogue of errors the bridge reports: the codes a request is answered with (each
 * with its one HTTP status) and the codes a start fails with (each with what to do). Every
 * error body is `{ error: { code, message } }`; every failed start prints one line
 * `cannot start [code]: message`. The README documents each code (a test checks it).
 */
export const ERROR_CODES = {
  body_malformed: {
    status: 400,
    description:
      "The body is not valid JSON (or nests deeper than 64 levels), cannot be decompressed, or is not the shape the route expects.",
  },
  url_malformed: { status: 400, description: "The URL has an invalid %-escape." },
  headers_missing: {
    status: 400,
    description: "A required svix-id, svix-timestamp or svix-signature header is missing.",
  },
  headers_invalid: { status: 400, description: "svix-timestamp is not a number of seconds." },
  cursor_invalid: {
    status: 400,
    description:
      "A paging cursor (`before`) is not one the listing gave out; pass the `next` of the previous page, or none for the first.",
  },
  event_invalid: {
    status: 400,
    description: "An event sent to the Event API failed validation (for example a `ts` more than a year ahead).",
  },
  signature_invalid: { status: 401, description: "No configured secret produced the svix-signature." },
  timestamp_stale: { status: 401, description: "svix-timestamp is more than 5 minutes from the server's clock." },
  event_key_invalid: { status: 401, description: "The Event API key is not one of EVENT_KEYS." },
  unauthorized: { status: 401, description: "The operator API needs the ADMIN_TOKEN as a Bearer token." },
  event_name_reserved: {
    status: 403,
    description:
      "The event's name belongs to a webhook source (`clerk/*`) or to the bridge (`inngest/*`); only that source, the operator API and TRUSTED_EVENT_KEYS may send it.",
  },
  cross_site_request: {
    status: 403,
    description:
      "A sign-in, sign-out or state-changing operator request (POST, PUT, PATCH, DELETE) came from another site.",
  },
  loopback_only: {
    status: 403,
    description: "ADMIN_TOKEN is unset, so the operator API and the dashboard answer only loopback clients.",
  },
  source_unknown: { status: 404, description: "No transform template exists for this webhook source." },
  not_found: { status: 404, description: "The requested event, run or function does not exist." },
  conflict: {
    status: 409,
    description: "The request conflicts with the current state (for example cancelling a finished run).",
  },
  payload_too_large: { status: 413, description: "The body is larger than MAX_BODY_BYTES." },
  unsupported_media_type: { status: 415, description: "The body is not application/json." },
  transform_failed: {
    status: 422,
    description:
      "The transform template threw, timed out or produced an invalid event (or one named for another source).",
  },
  too_many_requests: {
    status: 429,
    description:
      "Too many failed sign-ins, bearer tokens or event keys from this address; retry after Retry-After seconds.",
  },
  internal: { status: 500, description: "An unexpected error; the log has the details." },
  upstream_failed: {
    status: 502,
    description:
      "The other bridge (DEV_BRIDGE_URL) refused the event or did not answer; the message says what it answered.",
  },
  redis_out_of_memory: {
    status: 503,
    description:
      "Redis refuses writes for want of memory (maxmemory reached under noeviction); nothing was accepted, retry later.",
  },
  redis_unavailable: {
    status: 503,
    description: "Redis did not acknowledge in time; nothing was accepted, retry later.",
  },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Why a start can fail, and the fix each failure names. */
export const STARTUP_ERROR_CODES = {
  config_invalid: {
    description: "An environment variable has an invalid value; the message names each one.",
    fix: "correct the variables named above",
  },
  transform_invalid: {
    description: "A template in TRANSFORMS_DIR is missing, fails to load or exports no transform.",
    fix: "fix the template file named above, or point TRANSFORMS_DIR at the right folder",
  },
  function_invalid: {
    description:
      "A function in FUNCTIONS_DIR fails to load, or declares an option or trigger the engine cannot honour.",
    fix: "fix the function file and option named above",
  },
  destination_invalid: {
    description:
      "A destination in DESTINATIONS_DIR fails to load, or declares a field, event pattern, variable or `if` the bridge cannot honour.",
    fix: "fix the destination file and field named above",
  },
  redis_unreachable: {
    description: "Redis cannot be reached, or refuses the connection (address, password, TLS).",
    fix: "start Redis or correct REDIS_URL",
  },
  database_unprepared: {
    description: "The users table cannot be prepared: PostgreSQL is unreachable or the migration failed.",
    fix: "check DATABASE_URL and that PostgreSQL is running",
  },
  port_in_use: {
    description: "Another process already listens on PORT.",
    fix: "stop the other process, or pick another port with PORT=",
  },
} as const satisfies Record<string, { description: string; fix: string }>;

export type StartupErrorCode = keyof typeof STARTUP_ERROR_CODES;

export class BridgeError extends Error {
  override name = "BridgeError";
  readonly code: ErrorCode;
  readonly status: number;
  /** Sent as Retry-After with a 429 or 503. */
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, options);
    this.code = code;
    this.status = ERROR_CODES[code].status;
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** A start that cannot go on: printed as one line naming the code and the fix, never a stack. */
export class StartupError extends Error {
  override name = "StartupError";
  readonly code: StartupErrorCode;

  constructor(code: StartupErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isBridgeError(error: unknown): error is BridgeError {
  return error instanceof BridgeError || (error instanceof Error && error.name === "BridgeError" && "code" in error);
}

export function isStartupError(error: unknown): error is StartupError {
  return (
    error instanceof Error && error.name === "StartupError" && typeof (error as { code?: unknown }).code === "string"
  );
}

/**
 * How `npm start`, the CLI and `migrate` print a failed start: the code and the message, which
 * names the variable, file or address at fault. Anything unexpected keeps its stack.
 */
export function formatStartupError(error: unknown, program = "clerk-webhook-bridge"): string {
  if (!isStartupError(error)) return `${program}: cannot start: ${toError(error).stack ?? String(error)}`;
  return `${program}: cannot start [${error.code}]: ${error.message}`;
}

/** Whatever was thrown, as an Error: libraries and templates may throw strings or plain objects. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === "string") return new Error(thrown);
  try {
    return new Error(JSON.stringify(thrown));
  } catch {
    return new Error(String(thrown));
  }
}

export function errorBody(code: ErrorCode, message: string) {
  return { error: { code, message } };
}
