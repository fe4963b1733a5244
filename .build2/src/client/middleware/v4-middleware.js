/**
 * Inngest v4's `Middleware` namespace, present only so that a file written for v4 loads: its
 * class middleware (`class X extends Middleware.BaseMiddleware`) is then refused where it is
 * passed, naming the option, instead of the import failing with an unexplained SyntaxError.
 * v3's InngestMiddleware is the supported form.
 */
export const Middleware = Object.freeze({
    BaseMiddleware: class BaseMiddleware {
    },
});
