import { readFileSync } from "node:fs";
import type { ChainableCommander, Redis } from "ioredis";
import { pushInOrder, type ArgsOf, type KeysOf, type LuaContract, type ReplyOf } from "../../util/lua-contract.ts";
import { FINAL_STATUSES } from "./run-state.ts";
import * as contracts from "./script-contracts.ts";

export type { CreateRunResult, DebounceClaim, RouteRunResult, UpdateRunResult } from "./script-contracts.ts";

/**
 * The engine's Lua scripts, one file each (`name-<numKeys>.lua`, with a header documenting KEYS,
 * ARGV and returns), registered with ioredis' defineCommand so they run with EVALSHA (and are
 * batched by auto-pipelining). Each script's keys, arguments and reply are declared once, in
 * store/script-contracts.ts: a call here takes them by name and answers the decoded reply.
 *
 * The set of final statuses is defined once, in run-state.ts: a script that needs it writes the
 * placeholder `FINAL_STATUSES`, replaced at load by a Lua set such as
 * `{ completed = true, failed = true, cancelled = true }`.
 */
const SCRIPTS = {
  engineRouteEvent: contracts.routeEvent,
  engineUpdateRun: contracts.updateRun,
  engineResolveStep: contracts.resolveStep,
  engineSaveStep: contracts.saveStep,
  engineAcquireSlot: contracts.acquireSlot,
  engineReleaseSlot: contracts.releaseSlot,
  engineStartRun: contracts.startRun,
  engineWaitForSignal: contracts.waitForSignal,
  engineSendSignal: contracts.sendSignal,
  engineReleaseSignal: contracts.releaseSignal,
  engineDebounceEvent: contracts.debounceEvent,
  engineClaimDebounce: contracts.claimDebounce,
  engineBatchEvent: contracts.batchEvent,
  engineCloseBatch: contracts.closeBatch,
  engineReleaseSingleton: contracts.releaseSingleton,
} as const;

type Scripts = typeof SCRIPTS;
type ScriptName = keyof Scripts;
type ScriptCall = (...args: Array<string | number>) => Promise<unknown>;

/** Every engine script's contract, for the test that holds each against its file. */
export const ENGINE_SCRIPTS: readonly LuaContract[] = Object.values(SCRIPTS);

/** Where the engine's Lua files are: the one place that knows. */
export const ENGINE_LUA_DIR = new URL("./lua/", import.meta.url);

/** A script's text as stored (its header included). */
export function readEngineScript(file: string): string {
  return readFileSync(new URL(file, ENGINE_LUA_DIR), "utf8");
}

const FINAL_SET = `{ ${[...FINAL_STATUSES].map((status) => `${status} = true`).join(", ")} }`;
const sources = new Map<ScriptName, { lua: string; numberOfKeys?: number }>();

function source(name: ScriptName) {
  let entry = sources.get(name);
  if (!entry) {
    const file = SCRIPTS[name].file;
    const lua = readEngineScript(file).replaceAll("FINAL_STATUSES", FINAL_SET);
    // `name-<n>.lua` takes n keys; a name without a count takes a variable number, passed first.
    const count = /-(\d+)\.lua$/.exec(file)?.[1];
    entry = { lua, numberOfKeys: count === undefined ? undefined : Number(count) };
    sources.set(name, entry);
  }
  return entry;
}

/**
 * Defines every script on a client, once, before it is used: with auto-pipelining, ioredis copies
 * the client's commands into each pipeline it makes, and a script defined after a pipeline was
 * made fails that whole pipeline. The run ledger calls this when it is built.
 */
export function defineEngineScripts(redis: Redis): void {
  if (typeof (redis as unknown as Record<string, unknown>).engineRouteEvent === "function") return;
  for (const each of Object.keys(SCRIPTS) as ScriptName[]) redis.defineCommand(each, source(each));
}

async function call(redis: Redis, name: ScriptName, keys: string[], args: Array<string | number>): Promise<unknown> {
  defineEngineScripts(redis);
  const script = (redis as unknown as Record<string, ScriptCall>)[name] as ScriptCall;
  const counted = source(name).numberOfKeys === undefined ? [keys.length] : [];
  return script.call(redis, ...counted, ...keys, ...args);
}

/** A script's call: keys and arguments by name (then any that follow the named ones), its reply decoded. */
function bind<N extends ScriptName>(name: N) {
  const contract = SCRIPTS[name] as LuaContract;
  return async (
    redis: Redis,
    keys: KeysOf<Scripts[N]>,
    args: ArgsOf<Scripts[N]>,
    more: ReadonlyArray<string | number> = [],
  ): Promise<ReplyOf<Scripts[N]>> => {
    const argv = pushInOrder<string, string | number>([], contract.argv, args as Record<string, string | number>);
    for (const value of more) argv.push(value);
    const reply = await call(
      redis,
      name,
      pushInOrder<string, string>([], contract.keys, keys as Record<string, string>),
      argv,
    );
    return contract.decode(reply) as ReplyOf<Scripts[N]>;
  };
}

/** lua/route-event.lua, with the keys and arguments store/route-arguments.ts builds from its contract. */
export async function routeEventScript(redis: Redis, keys: string[], args: Array<string | number>) {
  return contracts.routeEvent.decode(await call(redis, "engineRouteEvent", keys, args));
}

/** lua/route-event.lua queued in a MULTI (step.invoke stores its step in the same transaction). */
export function queueRouteEvent(transaction: ChainableCommander, keys: string[], args: Array<string | number>): void {
  const script = (transaction as unknown as Record<string, ScriptCall>).engineRouteEvent as ScriptCall;
  void script.call(transaction, keys.length, ...keys, ...args);
}

/** lua/route-event.lua's reply: the `if` waiters and match paths of the event's name, then one [code, startAt, detail] per run. */
export const routeEventResult = contracts.routeEvent.decode;
/** The run's fields (`more`: field, value pairs) written unless it has ended. */
export const updateRunScript = bind("engineUpdateRun");
export const saveStepScript = bind("engineSaveStep");
export const resolveStepScript = bind("engineResolveStep");
export const acquireSlotScript = bind("engineAcquireSlot");
export const releaseSlotScript = bind("engineReleaseSlot");
export const startRunScript = bind("engineStartRun");
export const waitForSignalScript = bind("engineWaitForSignal");
export const sendSignalScript = bind("engineSendSignal");
export const releaseSignalScript = bind("engineReleaseSignal");
export const debounceEventScript = bind("engineDebounceEvent");
export const claimDebounceScript = bind("engineClaimDebounce");
export const batchEventScript = bind("engineBatchEvent");
export const closeBatchScript = bind("engineCloseBatch");
export const releaseSingletonScript = bind("engineReleaseSingleton");
