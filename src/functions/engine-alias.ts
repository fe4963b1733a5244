import { register } from "node:module";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Operator functions import the engine by the package's name, as Inngest code imports "inngest":
 *
 *   import { createFunction } from "clerk-webhook-bridge";
 *
 * A resolve hook maps that name to the engine module this process is running: src/engine/index.ts
 * in a checkout, dist/src/engine/index.js in the Docker image (where src/ does not ship). So one
 * file works in both, and its createFunction is the very module the engine uses. Types come from
 * the `exports` of package.json.
 */
export const ENGINE_SPECIFIER = "clerk-webhook-bridge";

let registered = false;

export function registerEngineAlias(): void {
  if (registered) return;
  registered = true;
  // `.ts` when running from source, `.js` when compiled.
  const engineUrl = new URL(`../engine/index${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;
  const hooks = `export async function resolve(specifier, context, next) {
    if (specifier === ${JSON.stringify(ENGINE_SPECIFIER)}) return { url: ${JSON.stringify(engineUrl)}, shortCircuit: true };
    return next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
