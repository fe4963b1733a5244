/** A mistake the user can fix (bad arguments, missing variable): printed without a stack. */
export class UsageError extends Error {
    name = "UsageError";
}
export const DEFAULT_BRIDGE_URL = "http://localhost:8288";
/**
 * BRIDGE_URL without its trailing slashes. `localhost:8288` parses as a URL whose scheme is
 * "localhost:", and fetch then fails with a message that names neither the variable nor the fix.
 */
export function bridgeUrl(env) {
    const url = env.BRIDGE_URL || DEFAULT_BRIDGE_URL;
    if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) {
        const fix = /^[a-z][a-z\d+.-]*:\/\//i.test(url) ? "" : `; did you mean BRIDGE_URL=http://${url}?`;
        throw new UsageError(`BRIDGE_URL must be an http:// or https:// URL, got "${url}"${fix}`);
    }
    return url.replace(/\/+$/, "");
}
