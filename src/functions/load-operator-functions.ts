import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { BridgeFunction } from "../engine/index.ts";
import type { Logger } from "../logger.ts";
import { importModule } from "../transforms/load-transforms.ts";
import { registerEngineAlias } from "./engine-alias.ts";

export class FunctionLoadError extends Error {
  override name = "FunctionLoadError";
}

const LOADABLE = /\.(ts|mts|js|mjs)$/;

/**
 * The operator's own functions: every module in FUNCTIONS_DIR (default `functions/`), each
 * exporting one or more functions made with createFunction (default or named exports, as Inngest
 * code does), imported from "clerk-webhook-bridge" (see engine-alias.ts). A missing folder means none; a file that fails to load or exports no function stops
 * the start with its name, so a typo never silently drops a function. Files starting with `_` or
 * `.`, type declarations and tests are skipped (helpers may live beside the functions).
 */
export async function loadOperatorFunctions(dir: string, logger: Logger): Promise<BridgeFunction[]> {
  const folder = resolve(dir);
  let files: string[];
  try {
    files = (await readdir(folder)).filter(isFunctionModule).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      logger.debug({ dir: folder }, "no functions folder, no operator functions");
      return [];
    }
    throw error;
  }
  if (files.length > 0) registerEngineAlias();
  const loaded: BridgeFunction[] = [];
  for (const file of files) {
    const path = join(folder, file);
    let exports: Record<string, unknown>;
    try {
      exports = (await importModule(path)) as Record<string, unknown>;
    } catch (error) {
      throw new FunctionLoadError(`${path}: ${(error as Error).message}`, { cause: error });
    }
    const found = [...new Set(Object.values(exports).flatMap((value) => (Array.isArray(value) ? value : [value])))].filter(isBridgeFunction);
    if (found.length === 0) throw new FunctionLoadError(`${path} exports no function made with createFunction`);
    logger.info({ file: path, functions: found.map((fn) => fn.id) }, "loaded operator functions");
    loaded.push(...found);
  }
  return loaded;
}

function isFunctionModule(file: string): boolean {
  return LOADABLE.test(file) && !/\.d\.m?ts$/.test(file) && !/\.test\.[mc]?[jt]s$/.test(file) && !file.startsWith("_") && !file.startsWith(".");
}

export function isBridgeFunction(value: unknown): value is BridgeFunction {
  const candidate = value as Partial<BridgeFunction> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.id === "string" &&
    Array.isArray(candidate.triggers) &&
    typeof candidate.handler === "function"
  );
}
