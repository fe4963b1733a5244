/**
 * What a command may touch: its environment, its streams and fetch. The bin script passes the
 * real ones; tests pass their own, so commands run in-process without spawning.
 */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  readStdin(): Promise<string>;
  fetch: typeof fetch;
}

/** A mistake the user can fix (bad arguments, missing variable): printed without a stack. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const DEFAULT_BRIDGE_URL = "http://localhost:8288";

export function bridgeUrl(env: CliIo["env"]): string {
  return (env.BRIDGE_URL ?? DEFAULT_BRIDGE_URL).replace(/\/+$/, "");
}
