import { readdir } from "node:fs/promises";
import { extname, basename, resolve } from "node:path";
import { StartupError } from "../errors.js";
import { importOperatorModule } from "../modules/operator-modules.js";
import { loadSvixScript } from "./load-svix-script.js";
import { adaptSvixHandler, callModuleHandler } from "./svix-handler.js";
const EXTENSIONS = /* @__PURE__ */ new Set([".ts", ".js", ".mjs"]);
const SOURCE_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const invalid = (message) => new StartupError("transform_invalid", message);
async function loadTransforms(dir) {
  const directory = resolve(dir);
  let files;
  try {
    files = await readdir(directory);
  } catch (error) {
    throw invalid(`cannot read the transforms folder ${directory} (TRANSFORMS_DIR): ${error.message}`);
  }
  const registry = /* @__PURE__ */ new Map();
  for (const file of files.sort()) {
    const extension = extname(file);
    const source = basename(file, extension);
    if (!EXTENSIONS.has(extension) || source.endsWith(".test") || source.endsWith(".d")) continue;
    if (!SOURCE_NAME.test(source)) {
      throw invalid(`${file}: a template's file name must be a source name (a-z, 0-9, _ and -)`);
    }
    if (registry.has(source)) throw invalid(`${file}: a second template for source "${source}"`);
    registry.set(source, await importTransform(resolve(directory, file)));
  }
  return registry;
}
async function reloadTransform(dir, source) {
  const directory = resolve(dir);
  const files = await readdir(directory).catch(() => []);
  const file = files.find((name) => EXTENSIONS.has(extname(name)) && basename(name, extname(name)) === source);
  if (!file) throw invalid(`no template for source "${source}" in ${directory} (TRANSFORMS_DIR)`);
  return importTransform(resolve(directory, file), { fresh: true });
}
async function importTransform(path, options = {}) {
  let module;
  try {
    const script = extname(path) === ".mjs" ? void 0 : await loadSvixScript(path);
    if (script) return script;
    module = await importOperatorModule(path, options);
  } catch (error) {
    throw invalid(`${path}: cannot load the template: ${error.message}`);
  }
  const candidate = module.default;
  const transform = typeof candidate === "function" ? candidate : typeof candidate?.transform === "function" ? candidate.transform.bind(candidate) : typeof module.handler === "function" ? adaptSvixHandler(callModuleHandler(module.handler)) : void 0;
  if (!transform) {
    throw invalid(
      `${path}: the default export must be a function (payload, context) => event(s), or the file must be a Svix transformation declaring function handler(webhook)`
    );
  }
  return transform;
}
export {
  loadTransforms,
  reloadTransform
};
