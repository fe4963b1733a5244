/**
 * A request URL fit for a log line or an error message: the Event API key in `/e/<key>` is a
 * secret (anyone holding it can send events), so it never reaches a log, whatever else follows.
 */
export function redactUrl(url) {
    return url.replace(/^\/e\/[^/?#]*/i, "/e/[redacted]");
}
