/**
 * A request URL fit for a log line or an error message: the Event API key in `/e/<key>` is a
 * secret (anyone holding it can send events), so it never reaches a log, whatever else follows
 * and however the path is spelt. `//e/<key>`, `/%65/<key>`, `/./e/<key>` or `/E/<key>` reached
 * the log as they were (issue 19): the path is normalised first (escapes decoded, dot segments
 * resolved, slashes collapsed), and the segment after any `e` segment is redacted. A path with
 * no `e` segment is returned as it came.
 */
export function redactUrl(url: string): string {
  const queryAt = url.search(/[?#]/);
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  const query = queryAt < 0 ? "" : url.slice(queryAt);
  const segments = normalisedSegments(path);
  let redacted = false;
  for (let index = 0; index + 1 < segments.length; index++) {
    if (segments[index]?.toLowerCase() !== "e") continue;
    segments[index + 1] = "[redacted]";
    redacted = true;
    index++;
  }
  if (!redacted) return url;
  return `/${segments.join("/")}${query}`;
}

/** The path's segments as a server that decodes and resolves it generously would read them. */
function normalisedSegments(path: string): string[] {
  const decoded = decodeEscapes(path).replaceAll("\\", "/");
  const segments: string[] = [];
  for (const segment of decoded.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  return segments;
}

/** %-escapes decoded, twice-encoded ones too (`%2565`); an escape that is not UTF-8 stays as it is. */
function decodeEscapes(text: string): string {
  let current = text;
  for (let round = 0; round < 3 && current.includes("%"); round++) {
    const next = current.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
    if (next === current) break;
    current = next;
  }
  return current;
}
