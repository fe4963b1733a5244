import { FunctionDefinitionError } from "../../engine/create-function.js";
import { InngestMiddleware } from "./inngest-middleware.js";
function initMiddleware(list, args, where) {
  if (list === void 0) return [];
  const fail = (message) => {
    throw new FunctionDefinitionError(`${where}: middleware${message}`);
  };
  if (!Array.isArray(list)) fail(" must be an array of InngestMiddleware");
  return list.map((entry, index) => {
    if (typeof entry === "function") fail(": v4 class middleware is not supported, use InngestMiddleware");
    if (!(entry instanceof InngestMiddleware) && typeof entry?.init !== "function") {
      fail(`[${index}] is not an InngestMiddleware ({ name, init })`);
    }
    const middleware = entry;
    try {
      const registration = Promise.resolve(middleware.init(args));
      registration.catch(() => {
      });
      return registration;
    } catch (error) {
      return fail(`[${index}] "${middleware.name}": init threw: ${error.message}`);
    }
  });
}
export {
  initMiddleware
};
