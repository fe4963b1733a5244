/**
 * Inngest's v3 middleware, `new InngestMiddleware({ name, init })`: `init` runs once (when the
 * client is made, or the function for function middleware) and registers the hooks; the hooks of
 * `onFunctionRun` are made anew for each execution of a run. See run-hooks.ts for when each is
 * called, and the README for how an execution maps onto Inngest's requests.
 * https://www.inngest.com/docs/reference/middleware/lifecycle
 */
export class InngestMiddleware {
    name;
    init;
    constructor({ name, init }) {
        this.name = name;
        this.init = init;
    }
}
