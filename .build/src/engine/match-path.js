const PATH = /^(?:(?:event|async)\.)?[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*$/;
function parseMatchPath(path) {
  if (typeof path !== "string" || !PATH.test(path)) return void 0;
  return path.replace(/^(event|async)\./, "").split(".");
}
function readMatchPath(source, parts) {
  let value = source;
  for (const part of parts) {
    if (value === null || typeof value !== "object") return void 0;
    value = value[part];
  }
  return value;
}
const SIMPLE_PATH = "[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*";
const EQUALITY = new RegExp(`^\\s*(event|async)\\.(${SIMPLE_PATH})\\s*==\\s*(event|async)\\.(${SIMPLE_PATH})\\s*$`);
function matchPathFromIf(expression) {
  const found = EQUALITY.exec(expression);
  if (!found || found[1] === found[3] || found[2] !== found[4]) return void 0;
  return found[2];
}
export {
  matchPathFromIf,
  parseMatchPath,
  readMatchPath
};
