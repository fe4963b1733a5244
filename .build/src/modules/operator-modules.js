import { register } from "node:module";
import { extname, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
const BRIDGE_SPECIFIER = "clerk-webhook-bridge";
const INNGEST_SPECIFIER = "inngest";
const DESTINATIONS_SPECIFIER = "clerk-webhook-bridge/destinations";
let registeredFor;
function registerOperatorModuleHooks(folders) {
  const dirs = [folders.transformsDir, folders.functionsDir, folders.destinationsDir ?? "destinations"].map((dir) => pathToFileURL(resolve(dir) + sep).href);
  const key = dirs.join("\n");
  if (registeredFor === key) return;
  registeredFor = key;
  const extension = extname(fileURLToPath(import.meta.url));
  const engineUrl = new URL(`../engine/index${extension}`, import.meta.url).href;
  const destinationsUrl = new URL(`../destinations/index${extension}`, import.meta.url).href;
  const functionsUrl = dirs[1];
  const hooks = `
    const dirs = ${JSON.stringify(dirs)};
    const inOperatorDir = (url) => typeof url === "string" && dirs.some((dir) => url.startsWith(dir));
    export async function resolve(specifier, context, next) {
      if (specifier === ${JSON.stringify(BRIDGE_SPECIFIER)}
        || (specifier === ${JSON.stringify(INNGEST_SPECIFIER)} && context.parentURL?.startsWith(${JSON.stringify(functionsUrl)}))) {
        return { url: ${JSON.stringify(engineUrl)}, shortCircuit: true };
      }
      // Resolved by the rest of the chain: tsx must see the URL to load a .ts file this process has not loaded yet.
      if (specifier === ${JSON.stringify(DESTINATIONS_SPECIFIER)}) return next(${JSON.stringify(destinationsUrl)}, context);
      const result = await next(specifier, context);
      return inOperatorDir(result.url) && /\\.(m?[jt]s)$/.test(result.url.split("?")[0]) ? { ...result, format: "module" } : result;
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
let typescriptLoader;
const RUNNING_TYPESCRIPT = import.meta.url.endsWith(".ts");
async function importOperatorModule(path, options = {}) {
  if (!RUNNING_TYPESCRIPT && /\.m?ts$/.test(path)) {
    typescriptLoader ??= import("tsx/esm/api").then(({ register: registerTsx }) => registerTsx());
    await typescriptLoader;
  }
  const url = pathToFileURL(path);
  if (options.fresh) url.searchParams.set("reload", `${Date.now()}-${++reloads}`);
  return import(url.href);
}
let reloads = 0;
export {
  BRIDGE_SPECIFIER,
  DESTINATIONS_SPECIFIER,
  INNGEST_SPECIFIER,
  importOperatorModule,
  registerOperatorModuleHooks
};
