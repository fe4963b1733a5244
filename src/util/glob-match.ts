/**
 * Whether `text` matches `pattern`, where `*` stands for any run of characters (none included) and
 * every other character for itself. No regular expression: a pattern typed into a search box or
 * sent by a client is matched in time proportional to the text times the longest literal part,
 * never exponential. (`q=*a*a*a*a*b` as a backtracking RegExp took 54 s over one 250-character
 * name; issue 19.)
 *
 * Greedy and leftmost is exact for `*`-only patterns: the first part must start the text, the last
 * must end it, and each middle part is taken at its earliest place after the one before, since
 * an earlier place never leaves less room for the parts after it.
 */
export function globMatches(pattern: string, text: string): boolean {
  if (!pattern.includes("*")) return pattern === text;
  const parts = pattern.split("*");
  const first = parts[0] ?? "";
  const last = parts.at(-1) ?? "";
  if (!text.startsWith(first)) return false;
  let position = first.length;
  for (let index = 1; index < parts.length - 1; index++) {
    const part = parts[index] ?? "";
    if (part === "") continue;
    const found = text.indexOf(part, position);
    if (found < 0) return false;
    position = found + part.length;
  }
  return text.length - last.length >= position && text.endsWith(last);
}
