/**
 * The one catalogue of errors the bridge answers with, and the one place a code maps to an HTTP
 * status. Every error body is `{ error: { code, message } }`.
 */
export const ERROR_CODES = {
  body_malformed: { status: 400, description: "The body is not valid JSON, or is not the shape the route expects." },
  headers_missing: { status: 400, description: "A required svix-id, svix-timestamp or svix-signature header is missing." },
  headers_invalid: { status: 400, description: "svix-timestamp is not a number of seconds." },
  event_invalid: { status: 400, description: "An event sent to the Event API failed validation." },
  signature_invalid: { status: 401, description: "No configured secret produced the svix-signature." },
  timestamp_stale: { status: 401, description: "svix-timestamp is more than 5 minutes from the server's clock." },
  event_key_invalid: { status: 401, description: "The Event API key is not one of EVENT_KEYS." },
  unauthorized: { status: 401, description: "The operator API needs the ADMIN_TOKEN as a Bearer token." },
  source_unknown: { status: 404, description: "No transform template exists for this webhook source." },
  not_found: { status: 404, description: "The requested event, run or function does not exist." },
  conflict: { status: 409, description: "The request conflicts with the current state (for example cancelling a finished run)." },
  payload_too_large: { status: 413, description: "The body is larger than MAX_BODY_BYTES." },
  unsupported_media_type: { status: 415, description: "The body is not application/json." },
  transform_failed: { status: 422, description: "The transform template threw, timed out or produced an invalid event." },
  internal: { status: 500, description: "An unexpected error; the log has the details." },
  redis_unavailable: { status: 503, description: "Redis did not acknowledge in time; nothing was accepted, retry later." },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class BridgeError extends Error {
  override name = "BridgeError";
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = ERROR_CODES[code].status;
  }
}

export function isBridgeError(error: unknown): error is BridgeError {
  return error instanceof BridgeError || (error instanceof Error && error.name === "BridgeError" && "code" in error);
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
