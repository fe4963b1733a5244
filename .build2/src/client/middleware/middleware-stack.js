import { FunctionDefinitionError } from "../../engine/create-function.js";
import { InngestMiddleware } from "./inngest-middleware.js";
/**
 * Checks a `middleware` option and runs each `init` once, now: a throwing `init` stops the start
 * naming the middleware. An `init` that returns a promise is awaited by the first run or send that
 * needs it (its rejection fails those, as in Inngest).
 */
export function initMiddleware(list, args, where) {
    if (list === undefined)
        return [];
    const fail = (message) => {
        throw new FunctionDefinitionError(`${where}: middleware${message}`);
    };
    if (!Array.isArray(list))
        fail(" must be an array of InngestMiddleware");
    return list.map((entry, index) => {
        // Inngest v4 registers classes (`class X extends Middleware.BaseMiddleware`); v3 instances.
        if (typeof entry === "function")
            fail(": v4 class middleware is not supported, use InngestMiddleware");
        if (!(entry instanceof InngestMiddleware) && typeof entry?.init !== "function") {
            fail(`[${index}] is not an InngestMiddleware ({ name, init })`);
        }
        const middleware = entry;
        try {
            const registration = Promise.resolve(middleware.init(args));
            registration.catch(() => { }); // surfaced where it is awaited; not an unhandled rejection here
            return registration;
        }
        catch (error) {
            return fail(`[${index}] "${middleware.name}": init threw: ${error.message}`);
        }
    });
}
