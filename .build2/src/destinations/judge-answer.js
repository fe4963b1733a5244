export function judgeAnswer(status, retryAfter, accept) {
    if ((status >= 200 && status < 300) || accept.has(status))
        return { kind: "delivered" };
    if (status === 429 || status === 503) {
        const after = parseRetryAfter(retryAfter);
        if (after !== undefined)
            return { kind: "retry-after", after };
    }
    if ((status >= 300 && status < 400) || (status >= 400 && status < 500 && status !== 408 && status !== 429))
        return { kind: "refused" };
    return { kind: "retry" };
}
/** `Retry-After` as milliseconds to wait, or the Date to retry at; undefined when absent or unreadable. */
export function parseRetryAfter(value) {
    const text = value?.trim();
    if (!text)
        return undefined;
    if (/^\d+$/.test(text))
        return Number(text) * 1000;
    // An HTTP date starts with its day ("Wed, 21 Oct 2015 07:28:00 GMT", or an obsolete form);
    // Date.parse alone would also read "-1" as a year.
    if (!/^[A-Za-z]{3}/.test(text))
        return undefined;
    const at = Date.parse(text);
    return Number.isNaN(at) ? undefined : new Date(at);
}
