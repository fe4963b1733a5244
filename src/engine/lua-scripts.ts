import { readFileSync } from "node:fs";
import type { ChainableCommander, Redis } from "ioredis";

/**
 * The engine's Lua scripts, one file each (`name-<numKeys>.lua`, with a header documenting KEYS,
 * ARGV and return values), registered on a client with ioredis' defineCommand so they run with
 * EVALSHA, also inside pipelines.
 */
const SCRIPTS = {
  engineRouteEvent: "route-event.lua",
  engineUpdateRun: "update-run-1.lua",
  engineResolveStep: "resolve-step-1.lua",
  engineAcquireSlot: "acquire-slot-1.lua",
  engineStartRun: "start-run-1.lua",
} as const;

type ScriptName = keyof typeof SCRIPTS;
type ScriptCall = (...args: Array<string | number>) => Promise<unknown>;
type PipelineCall = (...args: Array<string | number>) => ChainableCommander;

const sources = new Map<ScriptName, { lua: string; numberOfKeys?: number }>();

function source(name: ScriptName) {
  let entry = sources.get(name);
  if (!entry) {
    const file = SCRIPTS[name];
    const lua = readFileSync(new URL(`./lua/${file}`, import.meta.url), "utf8");
    // `name-<n>.lua` takes n keys; a name without a count takes a variable number, passed first.
    const count = /-(\d+)\.lua$/.exec(file)?.[1];
    entry = { lua, numberOfKeys: count === undefined ? undefined : Number(count) };
    sources.set(name, entry);
  }
  return entry;
}

/**
 * Defines every script on the client at once: a pipeline copies the client's commands when it is
 * created, so a script defined later would be missing from pipelines made before.
 */
function ensureDefined(redis: Redis, name: ScriptName): void {
  if (typeof (redis as unknown as Record<string, unknown>)[name] === "function") return;
  for (const each of Object.keys(SCRIPTS) as ScriptName[]) redis.defineCommand(each, source(each));
}

/** Call once per client before making pipelines that use the scripts. */
export function defineEngineScripts(redis: Redis): void {
  ensureDefined(redis, "engineRouteEvent");
}

/** Runs a script now. */
export function callScript(redis: Redis, name: ScriptName, keys: string[], args: Array<string | number>): Promise<unknown> {
  ensureDefined(redis, name);
  const call = (redis as unknown as Record<string, ScriptCall>)[name] as ScriptCall;
  const counted = source(name).numberOfKeys === undefined ? [keys.length] : [];
  return call.call(redis, ...counted, ...keys, ...args);
}

/** Queues a script on a pipeline created from `redis`. */
export function pipeScript(
  redis: Redis,
  pipeline: ChainableCommander,
  name: ScriptName,
  keys: string[],
  args: Array<string | number>,
): ChainableCommander {
  ensureDefined(redis, name);
  const call = (pipeline as unknown as Record<string, PipelineCall | undefined>)[name];
  if (!call) throw new Error(`the pipeline was created before the engine scripts were defined on its client (${name})`);
  const counted = source(name).numberOfKeys === undefined ? [keys.length] : [];
  return call.call(pipeline, ...counted, ...keys, ...args);
}
