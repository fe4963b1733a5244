import type { Logger } from "../logger.ts";

/**
 * The one stack of things to close, in the reverse order of their making: what was built last
 * (the HTTP server, the workers) stops first, the clients they use stop last. Closing twice
 * closes nothing twice.
 */
export function createClosers(logger: Logger) {
  const stack: Array<{ name: string; close: () => unknown }> = [];
  return {
    push(name: string, close: () => unknown): void {
      stack.push({ name, close });
    },
    async closeAll(): Promise<void> {
      for (const { name, close } of stack.splice(0).reverse()) {
        try {
          await close();
        } catch (error) {
          logger.warn({ err: error, closing: name }, "error while stopping");
        }
      }
    },
  };
}

export type Closers = ReturnType<typeof createClosers>;
