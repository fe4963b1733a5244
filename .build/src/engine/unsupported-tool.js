import { NonRetriableError } from "./non-retriable-error.js";
const QUIET = /* @__PURE__ */ new Set(["then", "toJSON", "constructor", "prototype", "inspect", "asymmetricMatch", "$$typeof"]);
function unsupportedTool(path, supported = {}) {
  const fail = () => {
    throw new NonRetriableError(`${path} is not supported by this bridge (see the README's table of step tools)`);
  };
  return new Proxy(fail, {
    get(_target, property) {
      if (typeof property === "symbol" || QUIET.has(property)) return void 0;
      return Object.hasOwn(supported, property) ? supported[property] : unsupportedTool(`${path}.${property}`);
    }
  });
}
export {
  unsupportedTool
};
