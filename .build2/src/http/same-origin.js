/**
 * Whether a browser sent this request from the bridge's own pages: true or false when the
 * browser said (Sec-Fetch-Site, or else Origin, which every current browser sends with a POST),
 * undefined when neither header is there (not a browser; a CSRF needs one). Origin is compared
 * with the Host the request came to (X-Forwarded-Host only when TRUST_PROXY trusts the proxy).
 * The dashboard's pages send `Referrer-Policy: same-origin`, under which a same-origin POST
 * carries its real Origin (under `no-referrer` it would say "null").
 */
export function sentFromSameOrigin(req) {
    const site = req.headers["sec-fetch-site"];
    if (typeof site === "string")
        return site === "same-origin" || site === "none";
    const origin = req.headers.origin;
    if (origin === undefined)
        return undefined;
    try {
        const from = new URL(origin);
        return from.host === new URL(`${from.protocol}//${req.host}`).host;
    }
    catch {
        return false; // "null" (a sandboxed or privacy-stripped origin) and anything unparseable
    }
}
