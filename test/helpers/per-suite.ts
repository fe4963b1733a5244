import { after, before } from "node:test";

/**
 * For a test file or describe block: what `start` makes, made in before() and closed by `close`
 * in after(). Read its fields inside the tests; read before then, they throw, naming `what`.
 */
export function perSuite<T extends object>(
  what: string,
  start: () => Promise<T>,
  close: (started: T) => Promise<void>,
): T {
  let started: T | undefined;
  before(async () => {
    started = await start();
  });
  after(async () => {
    if (started) await close(started);
  });
  return new Proxy({} as T, {
    get(_target, field) {
      if (!started) throw new Error(`${what} is made in before(): read it inside the tests`);
      return Reflect.get(started, field);
    },
  });
}
