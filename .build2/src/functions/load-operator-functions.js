import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { FunctionDefinitionError } from "../engine/index.js";
import { ExpressionError } from "../engine/expressions.js";
import { StartupError } from "../errors.js";
import { importOperatorModule } from "../modules/operator-modules.js";
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
 * a typo never silently drops a function. Files starting with `_` or `.`, type declarations and
 * tests are skipped (helpers may live beside the functions).
 */
export async function loadOperatorFunctions(dir, logger) {
    const folder = resolve(dir ?? DEFAULT_FUNCTIONS_DIR);
    let files;
    try {
        files = (await readdir(folder)).filter(isFunctionModule).sort();
    }
    catch (error) {
        if (error.code === "ENOENT" && dir === undefined) {
            logger.debug({ dir: folder }, "no functions folder, no operator functions");
            return [];
        }
        throw new StartupError("function_invalid", `cannot read the functions folder ${folder} (FUNCTIONS_DIR): ${error.message}`);
    }
    const loaded = [];
    for (const file of files) {
        const path = join(folder, file);
        const found = await importFunctions(path);
        logger.info({ file: path, functions: found.map((fn) => fn.id) }, "loaded operator functions");
        loaded.push(...found);
    }
    return loaded;
}
async function importFunctions(path) {
    let exports;
    try {
        exports = await importOperatorModule(path);
    }
    catch (error) {
        // A definition error names the function and the option; the path says where it is.
        const definition = error instanceof FunctionDefinitionError || error instanceof ExpressionError;
        throw new StartupError("function_invalid", `${path}: ${definition ? "" : "cannot load: "}${error.message}`, { cause: error });
    }
    const found = [...new Set(Object.values(exports).flatMap((value) => (Array.isArray(value) ? value : [value])))].filter(isBridgeFunction);
    if (found.length === 0)
        throw new StartupError("function_invalid", `${path} exports no function made with createFunction`);
    return found;
}
function isFunctionModule(file) {
    return LOADABLE.test(file) && !/\.d\.m?ts$/.test(file) && !/\.test\.[mc]?[jt]s$/.test(file) && !file.startsWith("_") && !file.startsWith(".");
}
export function isBridgeFunction(value) {
    const candidate = value;
    return (typeof candidate === "object" &&
        candidate !== null &&
        typeof candidate.id === "string" &&
        Array.isArray(candidate.triggers) &&
        typeof candidate.handler === "function");
}
