import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { Script, createContext, runInContext } from "node:vm";
import { toError } from "../errors.js";
import { adaptSvixHandler } from "./svix-handler.js";
const LOAD_TIMEOUT_MS = 1e3;
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
async function loadSvixScript(path) {
  const code = await readFile(path, "utf8");
  let script;
  try {
    script = new Script(code, { filename: path });
  } catch {
    return void 0;
  }
  const context = createContext({}, { name: basename(path) });
  const makeCaller = runInContext(CALLER_SOURCE, context);
  try {
    script.runInContext(context, { timeout: LOAD_TIMEOUT_MS });
  } catch (thrown) {
    throw scriptError(thrown, path);
  }
  const handler = runInContext(`typeof handler === "function" ? handler : undefined`, context);
  if (handler === void 0) {
    throw new Error("a plain script must declare function handler(webhook), as Svix's transformations do");
  }
  const callHandler = makeCaller(handler);
  return adaptSvixHandler((webhook) => {
    let returned;
    try {
      returned = callHandler(JSON.stringify(webhook));
    } catch (thrown) {
      throw scriptError(thrown, path);
    }
    return returned === void 0 ? void 0 : JSON.parse(returned);
  });
}
function scriptError(thrown, path) {
  const error = thrown;
  if (typeof error?.message !== "string") return toError(thrown);
  const frame = typeof error.stack === "string" ? error.stack.split("\n").find((line) => line.trimStart().startsWith("at ") && line.includes(path)) : void 0;
  const position = frame?.match(/:(\d+):(\d+)\)?\s*$/);
  const where = position ? ` (${basename(path)}:${position[1]}:${position[2]})` : "";
  return new Error(`${String(error.name ?? "Error")}: ${error.message}${where}`);
}
export {
  loadSvixScript
};
