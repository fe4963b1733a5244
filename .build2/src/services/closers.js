/**
 * The one stack of things to close, in the reverse order of their making: what was built last
 * (the HTTP server, the workers) stops first, the clients they use stop last. Closing twice
 * closes nothing twice.
 */
export function createClosers(logger) {
    const stack = [];
    return {
        push(name, close) {
            stack.push({ name, close });
        },
        async closeAll() {
            for (const { name, close } of stack.splice(0).reverse()) {
                try {
                    await close();
                }
                catch (error) {
                    logger.warn({ err: error, closing: name }, "error while stopping");
                }
            }
        },
    };
}
