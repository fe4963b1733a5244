import { readdir } from "node:fs/promises";
import { extname, basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Transform } from "./transform-types.ts";

export type TransformRegistry = ReadonlyMap<string, Transform>;

const EXTENSIONS = new Set([".ts", ".js", ".mjs"]);
const SOURCE_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export class TransformLoadError extends Error {
  override name = "TransformLoadError";
}

/**
 * Loads every template in `dir` at start, keyed by file name (`clerk.ts` serves /webhooks/clerk),
 * so a broken template stops the process with its file name instead of failing the first webhook.
 * Test files (`*.test.ts`) and declaration files are skipped.
 */
export async function loadTransforms(dir: string): Promise<TransformRegistry> {
  const directory = resolve(dir);
  let files: string[];
  try {
    files = await readdir(directory);
  } catch (error) {
    throw new TransformLoadError(`cannot read the transforms folder ${directory}: ${(error as Error).message}`);
  }
  const registry = new Map<string, Transform>();
  for (const file of files.sort()) {
    const extension = extname(file);
    const source = basename(file, extension);
    if (!EXTENSIONS.has(extension) || source.endsWith(".test") || source.endsWith(".d")) continue;
    if (!SOURCE_NAME.test(source)) {
      throw new TransformLoadError(`${file}: a template's file name must be a source name (a-z, 0-9, _ and -)`);
    }
    if (registry.has(source)) throw new TransformLoadError(`${file}: a second template for source "${source}"`);
    registry.set(source, await importTransform(resolve(directory, file)));
  }
  return registry;
}

async function importTransform(path: string): Promise<Transform> {
  let module: { default?: unknown };
  try {
    module = await importModule(path);
  } catch (error) {
    throw new TransformLoadError(`${path}: cannot load the template: ${(error as Error).message}`);
  }
  const candidate = module.default;
  const transform =
    typeof candidate === "function"
      ? candidate
      : typeof (candidate as { transform?: unknown })?.transform === "function"
        ? (candidate as { transform: Transform }).transform.bind(candidate)
        : undefined;
  if (!transform) {
    throw new TransformLoadError(`${path}: the default export must be a function (payload, context) => event(s)`);
  }
  return transform as Transform;
}

let typescriptLoader: Promise<unknown> | undefined;

/**
 * Imports a template or function module. `.ts` files load under the compiled service too: when
 * Node cannot import TypeScript by itself, tsx's loader is registered once, on demand.
 */
export async function importModule(path: string): Promise<{ default?: unknown }> {
  const url = pathToFileURL(path).href;
  try {
    return await import(url);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
    typescriptLoader ??= import("tsx/esm/api").then(({ register }) => register());
    await typescriptLoader;
    // A new URL: Node caches the failed import of the plain one and would fail it again.
    return await import(`${url}?tsx`);
  }
}
