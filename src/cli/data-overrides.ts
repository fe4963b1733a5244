import { UsageError } from "./cli-io.ts";

/**
 * `bridge trigger --data ...`: changes to a sample's `data`, in the order given. Each is either
 * a JSON object, merged into `data` (objects merge key by key, anything else replaces), or
 * `path=value`, where the path is dot-separated under `data` (`public_metadata.plan`, an array
 * index as a number: `email_addresses.0.email_address`) and the value is JSON when it parses as
 * JSON (`42`, `true`, `null`, `{"a":1}`, `"123"`), else the text as it is.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Keys that would reach an object's prototype instead of the object. */
const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);

export function applyDataOverrides(data: JsonObject, overrides: readonly string[]): JsonObject {
  let result = structuredClone(data);
  for (const override of overrides) {
    if (override.trimStart().startsWith("{")) result = merge(result, parseObject(override));
    else setPath(result, override);
  }
  return result;
}

function parseObject(text: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--data ${text.slice(0, 60)}: not JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new UsageError("--data: a JSON override must be an object");
  checkKeys(value as Json);
  return value as JsonObject;
}

function checkKeys(value: Json): void {
  if (value === null || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value)) {
    if (FORBIDDEN.has(key)) throw new UsageError(`--data: the key "${key}" is not allowed`);
    checkKeys(child);
  }
}

function merge(target: JsonObject, changes: JsonObject): JsonObject {
  const result: JsonObject = { ...target };
  for (const [key, change] of Object.entries(changes)) {
    const current = result[key];
    const bothObjects = isObject(current) && isObject(change);
    result[key] = bothObjects ? merge(current, change) : change;
  }
  return result;
}

const isObject = (value: Json | undefined): value is JsonObject =>
  value !== null && typeof value === "object" && !Array.isArray(value);

function setPath(data: JsonObject, override: string): void {
  const equals = override.indexOf("=");
  if (equals <= 0) throw new UsageError(`--data ${override}: expected path=value (first_name=Ada) or a JSON object`);
  const path = override.slice(0, equals).split(".");
  if (path.some((segment) => segment === "" || FORBIDDEN.has(segment)))
    throw new UsageError(`--data ${override}: "${override.slice(0, equals)}" is not a path of data`);
  const value = parseValue(override.slice(equals + 1));
  let node: Json = data;
  path.forEach((segment, index) => {
    const last = index === path.length - 1;
    if (Array.isArray(node)) {
      const at = Number(segment);
      if (!/^\d+$/.test(segment) || at > node.length)
        throw new UsageError(
          `--data ${override}: ${path.slice(0, index).join(".")} is a list of ${node.length}; "${segment}" is not an index in it`,
        );
      if (last) node[at] = value;
      else node = node[at] = isContainer(node[at]) ? (node[at] as Json) : {};
    } else if (isObject(node)) {
      if (last) node[segment] = value;
      else node = node[segment] = isContainer(node[segment]) ? (node[segment] as Json) : {};
    }
  });
}

const isContainer = (value: Json | undefined) => value !== null && typeof value === "object";

function parseValue(text: string): Json {
  try {
    const value = JSON.parse(text) as Json;
    checkKeys(value);
    return value;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return text;
  }
}
