import { readdir } from "node:fs/promises";
import { extname, basename, resolve } from "node:path";
import { StartupError } from "../errors.ts";
import { importOperatorModule } from "../modules/operator-modules.ts";
import { loadSvixScript } from "./load-svix-script.ts";
import { adaptSvixHandler, callModuleHandler, type SvixWebhook } from "./svix-handler.ts";
import type { Transform } from "./transform-types.ts";
import { messageOf } from "../util/thrown.ts";
import { isJsonObject } from "../util/json-object.ts";

export type TransformRegistry = ReadonlyMap<string, Transform>;

const EXTENSIONS = new Set([".ts", ".js", ".mjs"]);
const SOURCE_NAME = /^[a-z0-9][a-z0-9_-]*$/;

const invalid = (message: string) => new StartupError("transform_invalid", message);

/**
 * Loads every template in `dir` at start, keyed by file name (`clerk.ts` serves /webhooks/clerk),
 * so a broken template stops the process with its file name instead of failing the first webhook.
 * Test files (`*.test.ts`) and declaration files are skipped.
 *
 * A template is either a module whose default export is the bridge's Transform, or Svix's
 * transformation format: a plain script declaring `function handler(webhook)` (pasted from Svix's
 * dashboard), or a module exporting `handler`. A module exporting both is a Transform.
 */
export async function loadTransforms(dir: string): Promise<Map<string, Transform>> {
  const directory = resolve(dir);
  let files: string[];
  try {
    files = await readdir(directory);
  } catch (error) {
    throw invalid(`cannot read the transforms folder ${directory} (TRANSFORMS_DIR): ${messageOf(error)}`);
  }
  const registry = new Map<string, Transform>();
  for (const file of files.sort()) {
    const extension = extname(file);
    const source = basename(file, extension);
    if (!EXTENSIONS.has(extension) || source.endsWith(".test") || source.endsWith(".d")) continue;
    if (!SOURCE_NAME.test(source)) {
      throw invalid(`${file}: a template's file name must be a source name (a-z, 0-9, _ and -)`);
    }
    if (registry.has(source)) throw invalid(`${file}: a second template for source "${source}"`);
    registry.set(source, await importTransform(directory, file));
  }
  return registry;
}

/**
 * One source's template as its file reads now, for a re-run after the operator fixed it: the
 * running webhook route keeps the one loaded at start. A module is imported again under a new
 * URL (Node caches modules by URL, and cannot unload one: each reload stays in memory, fine for
 * an operator's occasional re-run); modules it imports itself are not reloaded.
 */
export async function reloadTransform(dir: string, source: string): Promise<Transform> {
  const directory = resolve(dir);
  const files = await readdir(directory).catch((): string[] => []);
  const file = files.find((name) => EXTENSIONS.has(extname(name)) && basename(name, extname(name)) === source);
  if (!file) throw invalid(`no template for source "${source}" in ${directory} (TRANSFORMS_DIR)`);
  return importTransform(directory, file, { fresh: true });
}

/** The one way a template is loaded: at start, by `bridge transform test`, and for a re-run. */
async function importTransform(directory: string, file: string, options: { fresh?: boolean } = {}): Promise<Transform> {
  const path = resolve(directory, file);
  let module: { default?: unknown; handler?: unknown };
  try {
    // A `.mjs` file is a module by its name; any other file is tried as a plain script first.
    const script = extname(path) === ".mjs" ? undefined : await loadSvixScript(path);
    if (script) return script;
    module = await importOperatorModule(path, { ...options, folder: directory, kind: "transforms" });
  } catch (error) {
    throw invalid(`${path}: cannot load the template: ${messageOf(error)}`);
  }
  const candidate = module.default;
  const transform =
    typeof candidate === "function"
      ? candidate
      : isJsonObject(candidate) && typeof candidate.transform === "function"
        ? candidate.transform.bind(candidate)
        : typeof module.handler === "function"
          ? adaptSvixHandler(callModuleHandler(module.handler as (webhook: SvixWebhook) => unknown))
          : undefined;
  if (!transform) {
    throw invalid(
      `${path}: the default export must be a function (payload, context) => event(s), or the file must be a Svix transformation declaring function handler(webhook)`,
    );
  }
  return transform as Transform;
}
