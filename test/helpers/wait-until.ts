/**
 * Reads until `done` holds for what was read, and returns it (tests only: no timing is asserted,
 * the timeout is generous). `what` names what was awaited in the error; a function is asked
 * only on a timeout, so it can describe the last value read.
 */
export async function waitFor<T>(read: () => T | Promise<T>, done: (value: T) => boolean, what: string | (() => string), timeoutMs = 20_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(typeof what === "function" ? what() : what);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Polls until `check` holds (tests only: no timing is asserted, the timeout is generous). */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, message = "condition not met in time"): Promise<void> {
  await waitFor(check, (held) => held, message, timeoutMs);
}
