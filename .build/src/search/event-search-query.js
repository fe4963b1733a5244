function parseEventSearch(text) {
  const query = text.trim();
  const equals = /^([A-Za-z_$][\w$-]*(?:\.[\w$-]+)*)\s*=\s*(.+)$/.exec(query);
  if (equals) {
    const path = equals[1].split(".");
    const rooted = path[0] === "data" || path[0] === "user" ? path : ["data", ...path];
    return { kind: "path", path: rooted, value: unquote(equals[2].trim()) };
  }
  if (query.includes("*")) return { kind: "pattern", pattern: query };
  return { kind: "term", term: query };
}
function unquote(value) {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}
function matchesName(name, search) {
  const tail = name.slice(name.indexOf("/") + 1);
  if ("term" in search) {
    const term = search.term.toLowerCase();
    return name.toLowerCase().startsWith(term) || tail.toLowerCase().startsWith(term);
  }
  const glob = new RegExp(`^${search.pattern.split("*").map(escapeRegExp).join(".*")}$`, "i");
  return glob.test(name) || glob.test(tail);
}
function escapeRegExp(text) {
  return text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}
function matchesData(event, search) {
  if ("path" in search) {
    let value = event;
    for (const key of search.path) value = value !== null && typeof value === "object" ? value[key] : void 0;
    return isScalar(value) && String(value).toLowerCase() === search.value.toLowerCase();
  }
  const term = search.term.toLowerCase();
  return containsText(event.data, term) || event.user !== void 0 && containsText(event.user, term);
}
function isScalar(value) {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}
function containsText(value, term) {
  if (isScalar(value)) return String(value).toLowerCase().includes(term);
  if (Array.isArray(value)) return value.some((item) => containsText(item, term));
  if (value !== null && typeof value === "object") return Object.values(value).some((item) => containsText(item, term));
  return false;
}
export {
  matchesData,
  matchesName,
  parseEventSearch
};
