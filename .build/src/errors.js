const ERROR_CODES = {
  body_malformed: { status: 400, description: "The body is not valid JSON (or nests deeper than 64 levels), cannot be decompressed, or is not the shape the route expects." },
  url_malformed: { status: 400, description: "The URL has an invalid %-escape." },
  headers_missing: { status: 400, description: "A required svix-id, svix-timestamp or svix-signature header is missing." },
  headers_invalid: { status: 400, description: "svix-timestamp is not a number of seconds." },
  event_invalid: { status: 400, description: "An event sent to the Event API failed validation (for example a `ts` more than a year ahead)." },
  signature_invalid: { status: 401, description: "No configured secret produced the svix-signature." },
  timestamp_stale: { status: 401, description: "svix-timestamp is more than 5 minutes from the server's clock." },
  event_key_invalid: { status: 401, description: "The Event API key is not one of EVENT_KEYS." },
  unauthorized: { status: 401, description: "The operator API needs the ADMIN_TOKEN as a Bearer token." },
  event_name_reserved: { status: 403, description: "The event's name belongs to a webhook source (`clerk/*`) or to the bridge (`inngest/*`); only that source, the operator API and TRUSTED_EVENT_KEYS may send it." },
  cross_site_request: { status: 403, description: "A sign-in or sign-out form was posted from another site." },
  loopback_only: { status: 403, description: "ADMIN_TOKEN is unset, so the operator API and the dashboard answer only loopback clients." },
  source_unknown: { status: 404, description: "No transform template exists for this webhook source." },
  not_found: { status: 404, description: "The requested event, run or function does not exist." },
  conflict: { status: 409, description: "The request conflicts with the current state (for example cancelling a finished run)." },
  payload_too_large: { status: 413, description: "The body is larger than MAX_BODY_BYTES." },
  unsupported_media_type: { status: 415, description: "The body is not application/json." },
  transform_failed: { status: 422, description: "The transform template threw, timed out or produced an invalid event (or one named for another source)." },
  too_many_requests: { status: 429, description: "Too many failed sign-ins, bearer tokens or event keys from this address; retry after Retry-After seconds." },
  internal: { status: 500, description: "An unexpected error; the log has the details." },
  upstream_failed: { status: 502, description: "The other bridge (DEV_BRIDGE_URL) refused the event or did not answer; the message says what it answered." },
  redis_unavailable: { status: 503, description: "Redis did not acknowledge in time; nothing was accepted, retry later." }
};
const STARTUP_ERROR_CODES = {
  config_invalid: { description: "An environment variable has an invalid value; the message names each one.", fix: "correct the variables named above" },
  transform_invalid: { description: "A template in TRANSFORMS_DIR is missing, fails to load or exports no transform.", fix: "fix the template file named above, or point TRANSFORMS_DIR at the right folder" },
  function_invalid: { description: "A function in FUNCTIONS_DIR fails to load, or declares an option or trigger the engine cannot honour.", fix: "fix the function file and option named above" },
  destination_invalid: { description: "A destination in DESTINATIONS_DIR fails to load, or declares a field, event pattern, variable or `if` the bridge cannot honour.", fix: "fix the destination file and field named above" },
  redis_unreachable: { description: "Redis cannot be reached, or refuses the connection (address, password, TLS).", fix: "start Redis or correct REDIS_URL" },
  database_unprepared: { description: "The users table cannot be prepared: PostgreSQL is unreachable or the migration failed.", fix: "check DATABASE_URL and that PostgreSQL is running" },
  port_in_use: { description: "Another process already listens on PORT.", fix: "stop the other process, or pick another port with PORT=" }
};
class BridgeError extends Error {
  name = "BridgeError";
  code;
  status;
  /** Sent as Retry-After with a 429 or 503. */
  retryAfterSeconds;
  constructor(code, message, options) {
    super(message, options);
    this.code = code;
    this.status = ERROR_CODES[code].status;
    if (options?.retryAfterSeconds !== void 0) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
class StartupError extends Error {
  name = "StartupError";
  code;
  constructor(code, message, options) {
    super(message, options);
    this.code = code;
  }
}
function isBridgeError(error) {
  return error instanceof BridgeError || error instanceof Error && error.name === "BridgeError" && "code" in error;
}
function isStartupError(error) {
  return error instanceof Error && error.name === "StartupError" && typeof error.code === "string";
}
function formatStartupError(error, program = "clerk-webhook-bridge") {
  if (!isStartupError(error)) return `${program}: cannot start: ${toError(error).stack ?? String(error)}`;
  return `${program}: cannot start [${error.code}]: ${error.message}`;
}
function toError(thrown) {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === "string") return new Error(thrown);
  try {
    return new Error(JSON.stringify(thrown));
  } catch {
    return new Error(String(thrown));
  }
}
function errorBody(code, message) {
  return { error: { code, message } };
}
export {
  BridgeError,
  ERROR_CODES,
  STARTUP_ERROR_CODES,
  StartupError,
  errorBody,
  formatStartupError,
  isBridgeError,
  isStartupError,
  toError
};
