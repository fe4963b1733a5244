import { createServer } from "node:net";
import { StartupError } from "../errors.ts";

/** The one wording of a taken port, whether the check at start or the real listen finds it. */
export function portInUseError(port: number, host: string): StartupError {
  return new StartupError(
    "port_in_use",
    `port ${port} on ${host} is already in use (EADDRINUSE): stop the other process, or pick another port with PORT=${port + 1}`,
  );
}

/**
 * Binds PORT on HOST for a moment and lets it go, before anything else starts: a taken port is
 * then reported at once, not after Redis, the database and the workers have started (and logged
 * a hundred lines) for nothing. Another process may still take the port in between; the real
 * listen reports that with the same error. Port 0 (any free port) cannot be taken.
 */
export async function checkPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? portInUseError(port, host) : error),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
