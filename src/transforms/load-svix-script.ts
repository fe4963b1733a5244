import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { Script, createContext, runInContext } from "node:vm";
import { toError } from "../errors.ts";
import { fieldsOf } from "../util/json-object.ts";
import { adaptSvixHandler } from "./svix-handler.ts";
import type { Transform } from "./transform-types.ts";

/** A script's top level runs once, at start; anything slower than this is a loop, not set-up. */
const LOAD_TIMEOUT_MS = 1000;

/**
 * Built in the script's context before the script runs, so the JSON it uses is the context's
 * own even if the script reassigns `JSON`. Only strings cross between the bridge and the script:
 * the handler gets objects of its own realm (`instanceof Array` holds, as in Svix), and the
 * bridge gets plain JSON data back, which is also exactly what Svix would have sent.
 */
const CALLER_SOURCE = `(function (parse, stringify) {
  return function (handler) {
    return function callHandler(webhookJson) {
      var returned = handler(parse(webhookJson));
      if (returned !== null && typeof returned === "object" && typeof returned.then === "function") {
        throw new TypeError("handler(webhook) returned a promise: Svix transformations are synchronous, return the webhook itself");
      }
      return stringify(returned);
    };
  };
})(JSON.parse, JSON.stringify)`;

type MakeCaller = (handler: unknown) => (webhookJson: string) => string | undefined;

/**
 * Loads a template written as Svix's dashboard holds it: a plain script (no import or export)
 * that declares `function handler(webhook)`. Returns undefined when the file does not compile as
 * a script (an ES module or TypeScript), so the caller imports it as a module instead.
 *
 * A script has no exports, so the bridge must run it to find `handler`. It runs in a context of
 * its own (node:vm) rather than through eval or a `new Function` in the bridge's realm, so what it
 * declares at top level (the handler, helpers, `var`s) stays there, and the bridge's globals
 * (process, require, the loaded modules) are not in its scope. The context holds only the
 * ECMAScript built-ins, like Svix's: no timers, fetch or require (V8's own `console` is there, so
 * a leftover console.log does not throw; it writes to an attached inspector only). It is not
 * frozen: the script's own declarations must be able to land on its global. node:vm is no security boundary,
 * and need not be one: a template is the operator's code, trusted like any module in TRANSFORMS_DIR.
 *
 * Deliveries are not given a timeout: vm's timeout starts a watchdog thread on every call, which
 * measured 197 µs per call against 25 µs without (a Clerk user payload, 2 cores), as much again as
 * the rest of a webhook's CPU. A synchronous handler that loops blocks, as a TypeScript one does.
 */
export async function loadSvixScript(path: string): Promise<Transform | undefined> {
  const code = await readFile(path, "utf8");
  let script: Script;
  try {
    script = new Script(code, { filename: path });
  } catch {
    return undefined;
  }
  const context = createContext({}, { name: basename(path) });
  const makeCaller = runInContext(CALLER_SOURCE, context) as MakeCaller;
  try {
    script.runInContext(context, { timeout: LOAD_TIMEOUT_MS });
  } catch (thrown) {
    throw scriptError(thrown, path);
  }
  const handler: unknown = runInContext(`typeof handler === "function" ? handler : undefined`, context);
  if (handler === undefined) {
    throw new Error("a plain script must declare function handler(webhook), as Svix's transformations do");
  }
  const callHandler = makeCaller(handler);
  return adaptSvixHandler((webhook) => {
    let returned: string | undefined;
    try {
      returned = callHandler(JSON.stringify(webhook));
    } catch (thrown) {
      throw scriptError(thrown, path);
    }
    return returned === undefined ? undefined : JSON.parse(returned);
  });
}

/**
 * An error thrown in the script's context is not an `Error` of the bridge's realm (toError would
 * print it as "{}"): rebuild it with its name, message and the line of the script that threw.
 */
function scriptError(thrown: unknown, path: string): Error {
  const error = fieldsOf(thrown);
  if (typeof error.message !== "string") return toError(thrown);
  const frame =
    typeof error.stack === "string"
      ? error.stack.split("\n").find((line) => line.trimStart().startsWith("at ") && line.includes(path))
      : undefined;
  const position = frame?.match(/:(\d+):(\d+)\)?\s*$/);
  const where = position ? ` (${basename(path)}:${position[1]}:${position[2]})` : "";
  return new Error(`${String(error.name ?? "Error")}: ${error.message}${where}`);
}
