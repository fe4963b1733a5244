/**
 * Reads until `done` holds for what was read, and returns it (tests only: no timing is asserted,
 * the timeout is generous). On a timeout the error says `what` was awaited and the last value
 * read; a function for `what` is asked only then, and says it all.
 */
export async function waitFor<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  what: string | (() => string),
  timeoutMs = 20_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(typeof what === "function" ? what() : `${what}; last: ${JSON.stringify(value)?.slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Polls until `check` holds (tests only: no timing is asserted, the timeout is generous). */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  message = "condition not met in time",
): Promise<void> {
  await waitFor(
    check,
    (held) => held,
    () => message,
    timeoutMs,
  );
}

/** Polls every 50 ms until `read` gives a value (not undefined, null or false), and returns it. */
export async function poll<T>(
  read: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  return (await waitFor(read, Boolean, `timed out waiting for ${what}`, timeoutMs, 50)) as T;
}
