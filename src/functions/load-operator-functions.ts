import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { isInngest, isInngestFunction } from "../client/inngest-helpers.ts";
import { FunctionDefinitionError, type BridgeFunction } from "../client/index.ts";
import { ExpressionError } from "../engine/definition/expressions.ts";
import { StartupError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { importOperatorModule } from "../modules/operator-modules.ts";

const LOADABLE = /\.(ts|mts|js|mjs)$/;
export const DEFAULT_FUNCTIONS_DIR = "functions";

/**
 * The operator's own functions: every module in FUNCTIONS_DIR (default `functions/`), each
 * exporting one or more functions (default or named exports, as Inngest code does), importing
 * the engine as "clerk-webhook-bridge" or "inngest" (see src/modules/operator-modules.ts).
 *
 * A FUNCTIONS_DIR that does not exist stops the start, as a missing TRANSFORMS_DIR does; only the
 * default folder may be absent (no operator functions). A file that fails to load, declares
 * something the engine cannot honour, or exports no function stops the start with its path, so
 * a typo never silently drops a function. Inngest's own layout is taken as it is: a module that
 * exports the client (`client.ts`) holds no function and needs none, and a function exported by
 * several modules (an `index.ts` listing them all) is one function. Files starting with `_` or
 * `.`, type declarations and tests are skipped (helpers may live beside the functions).
 */
export async function loadOperatorFunctions(dir: string | undefined, logger: Logger): Promise<BridgeFunction[]> {
  const folder = resolve(dir ?? DEFAULT_FUNCTIONS_DIR);
  let files: string[];
  try {
    files = (await readdir(folder)).filter(isFunctionModule).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && dir === undefined) {
      logger.debug({ dir: folder }, "no functions folder, no operator functions");
      return [];
    }
    throw new StartupError(
      "function_invalid",
      `cannot read the functions folder ${folder} (FUNCTIONS_DIR): ${(error as Error).message}`,
    );
  }
  const loaded = new Set<BridgeFunction>();
  for (const file of files) {
    const path = join(folder, file);
    const found = await importFunctions(folder, path);
    if (found === "client") {
      logger.info({ file: path }, "loaded an Inngest client module (no functions of its own)");
      continue;
    }
    logger.info({ file: path, functions: found.map((fn) => fn.id) }, "loaded operator functions");
    for (const fn of found) loaded.add(fn);
  }
  return [...loaded];
}

/** The functions a module exports, or "client" for a module that exports an Inngest client and no function. */
async function importFunctions(folder: string, path: string): Promise<BridgeFunction[] | "client"> {
  let exports: Record<string, unknown>;
  try {
    exports = await importOperatorModule(path, { folder, kind: "functions" });
  } catch (error) {
    // A definition error names the function and the option; the path says where it is.
    const definition = error instanceof FunctionDefinitionError || error instanceof ExpressionError;
    throw new StartupError(
      "function_invalid",
      `${path}: ${definition ? "" : "cannot load: "}${(error as Error).message}`,
      { cause: error },
    );
  }
  const values = [...new Set(Object.values(exports).flatMap((value) => (Array.isArray(value) ? value : [value])))];
  const found = values.filter(isInngestFunction);
  if (found.length === 0 && values.some(isInngest)) return "client";
  if (found.length === 0)
    throw new StartupError("function_invalid", `${path} exports no function made with createFunction`);
  return found;
}

function isFunctionModule(file: string): boolean {
  return (
    LOADABLE.test(file) &&
    !/\.d\.m?ts$/.test(file) &&
    !/\.test\.[mc]?[jt]s$/.test(file) &&
    !file.startsWith("_") &&
    !file.startsWith(".")
  );
}
