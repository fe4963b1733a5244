import { register } from "node:module";
import { extname, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Loading the operator's own modules (templates in TRANSFORMS_DIR, functions in FUNCTIONS_DIR,
 * destinations in DESTINATIONS_DIR), wherever those folders are: in the checkout, or mounted
 * elsewhere (/etc/bridge/functions in a container). Resolve hooks make that work, registered by
 * `importOperatorModule` itself for the folder it loads from, so `npm start`, the CLI
 * (`bridge transform test`), a re-run from the dashboard and the tests load a template one way:
 *
 * - Every file under those folders loads as an ES module. Outside a package whose package.json
 *   says `"type": "module"`, Node (and tsx) would treat `.ts`/`.js` as CommonJS and turn
 *   `import` into `require()`, which fails on the bridge's ES modules ("Cannot require() ES
 *   Module ... in a cycle"). (Issue 20: `bridge transform test` registered no hook, so an
 *   unmodified copy of transforms/clerk.ts in /tmp loaded under npm start and failed there.)
 * - The bridge's package name, "clerk-webhook-bridge", resolves to the public face this
 *   process runs (src/client/index.ts in a checkout, dist/src/client/index.js in the image), so
 *   an operator's createFunction is the very one the engine uses. For files under FUNCTIONS_DIR,
 *   "inngest" resolves there too: Inngest code runs with its import unchanged.
 *   "clerk-webhook-bridge/destinations" resolves to src/destinations/index.ts (what a destination
 *   module imports), from any folder.
 */
export const BRIDGE_SPECIFIER = "clerk-webhook-bridge";
export const INNGEST_SPECIFIER = "inngest";
export const DESTINATIONS_SPECIFIER = "clerk-webhook-bridge/destinations";

/** What a folder holds: functions also get "inngest" resolved to the bridge. */
export type OperatorFolderKind = "transforms" | "functions" | "destinations";

/** Folders (file: URLs ending in /) and kinds already served by a hook of this process. */
const covered = new Set<string>();

/**
 * Makes the files under `folder` load as the bridge's own modules (see above). One small hook per
 * folder and kind, registered once: Node chains hooks, and a process loads from three folders or so.
 */
export function coverOperatorFolder(folder: string, kind: OperatorFolderKind): void {
  const dir = pathToFileURL(resolve(folder) + sep).href;
  const key = `${kind} ${dir}`;
  if (covered.has(key)) return;
  covered.add(key);
  // `.ts` when running from source, `.js` when compiled.
  const extension = extname(fileURLToPath(import.meta.url));
  const bridgeUrl = new URL(`../client/index${extension}`, import.meta.url).href;
  const destinationsUrl = new URL(`../destinations/index${extension}`, import.meta.url).href;
  const hooks = `
    const dir = ${JSON.stringify(dir)};
    const inngest = ${JSON.stringify(kind === "functions")};
    export async function resolve(specifier, context, next) {
      if (specifier === ${JSON.stringify(BRIDGE_SPECIFIER)} || (inngest && specifier === ${JSON.stringify(INNGEST_SPECIFIER)} && context.parentURL?.startsWith(dir))) {
        return { url: ${JSON.stringify(bridgeUrl)}, shortCircuit: true };
      }
      // Resolved by the rest of the chain: tsx must see the URL to load a .ts file this process has not loaded yet.
      if (specifier === ${JSON.stringify(DESTINATIONS_SPECIFIER)}) return next(${JSON.stringify(destinationsUrl)}, context);
      const result = await next(specifier, context);
      const path = result.url.split("?")[0];
      const file = path.split("%3F")[0];
      if (!file.startsWith(dir) || !/\\.(m?[jt]s)$/.test(file)) return result;
      // An extensionless import ("./client", as Inngest code writes it) comes back from tsx as a
      // CommonJS module, its own query folded into the path (%3F): the file itself, as a module, is meant.
      return file === path ? { ...result, format: "module" } : { ...result, url: file, format: "module" };
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

let typescriptLoader: Promise<unknown> | undefined;
/** This module runs as TypeScript only when a TypeScript loader (tsx) is already active. */
const RUNNING_TYPESCRIPT = import.meta.url.endsWith(".ts");

/**
 * Imports a template, function or destination module from the operator's `folder`, which it
 * covers first (see above). `.ts` files load under the compiled service too: there, tsx's loader
 * is registered once, on demand, before the first TypeScript import.
 */
export async function importOperatorModule(
  path: string,
  options: { folder: string; kind: OperatorFolderKind; fresh?: boolean },
): Promise<Record<string, unknown>> {
  coverOperatorFolder(options.folder, options.kind);
  if (!RUNNING_TYPESCRIPT && /\.m?ts$/.test(path)) {
    typescriptLoader ??= import("tsx/esm/api").then(({ register: registerTsx }) => registerTsx());
    await typescriptLoader;
  }
  const url = pathToFileURL(path);
  // `fresh`: a URL of its own, so the file is read again instead of answered from the module cache.
  if (options.fresh) url.searchParams.set("reload", `${Date.now()}-${++reloads}`);
  return import(url.href);
}

let reloads = 0;
