import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, type Config } from "../../src/config/load-config.ts";
import { createLogger } from "../../src/logger.ts";
import { startBridge, type RunningBridge } from "../../src/app/start-bridge.ts";
import { TEST_SECRET } from "./sign-fixture.ts";
import { TEST_REDIS_URL } from "./test-redis.ts";

export interface FullBridge {
  bridge: RunningBridge;
  config: Config;
  /** http://127.0.0.1:<port> */
  url: string;
}

/** An empty folder for FUNCTIONS_DIR: only the built-ins run (the shipped examples would add runs). */
export function noOperatorFunctions(): string {
  return mkdtempSync(join(tmpdir(), "cwb-no-functions-"));
}

/**
 * The whole bridge as `npm start` runs it (startBridge, both roles, one process) on a free port
 * of 127.0.0.1, signing secret TEST_SECRET, the test Redis; `env` adds to or overrides that.
 */
export async function startFullBridge(
  env: Record<string, string>,
  options: { logLines?: string[] } = {},
): Promise<FullBridge> {
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    REDIS_URL: TEST_REDIS_URL,
    CLERK_WEBHOOK_SECRET: TEST_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    ...env,
  });
  // With `logLines`, every JSON log line is kept there (give LOG_LEVEL in `env` to see below the default).
  const destination = options.logLines ? { write: (line: string) => void options.logLines?.push(line) } : undefined;
  const bridge = await startBridge(config, createLogger(config.logLevel, destination, "json"));
  return { bridge, config, url: `http://127.0.0.1:${(bridge.server.address() as AddressInfo).port}` };
}
