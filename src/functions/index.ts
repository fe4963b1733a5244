import type { Redis } from "ioredis";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";

// Placeholder until src/engine/index.ts lands; replaced by the engine's own BridgeFunction type.
type BridgeFunction = { readonly id: string };

export interface LoadedFunctions {
  functions: BridgeFunction[];
  close(): Promise<void>;
}

export interface FunctionDeps {
  config: Config;
  logger: Logger;
  redis: Redis;
}

/**
 * The explicit registry: builds the built-in functions switched on by FUNCTIONS plus the
 * operator's own from FUNCTIONS_DIR, with the clients they need (pg pool, SMTP transport).
 * Called once by the composition root; `close()` ends those clients.
 */
export async function loadFunctions(deps: FunctionDeps): Promise<LoadedFunctions> {
  void deps;
  return { functions: [], close: async () => {} };
}
