import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";
import type { BridgeKeys } from "../redis/keys.ts";
import { luaContract, pushInOrder, type ArgsOf } from "../util/lua-contract.ts";
import { resealText } from "./reseal-text.ts";
import type { Sealer } from "./sealer.ts";

/** lua/reseal-value-1.lua: true when written, false when the value changed since it was read. */
export const resealValueScript = luaContract({
  file: "reseal-value-1.lua",
  keys: ["key"],
  argv: ["field", "asRead", "resealed"],
  replies: [1, 0],
  decode: (reply: unknown) => Number(reply) === 1,
});
export const RESEAL_VALUE = readFileSync(new URL(`./lua/${resealValueScript.file}`, import.meta.url), "utf8");
const MARK = "enc:v1:";
/** A value the bridge rewrote between our read and our write is read again, this many times. */
const ATTEMPTS = 3;

export interface RekeyProgress {
  /** Keys looked at so far (the whole prefix: events, runs, waiters, kept payloads, the canary). */
  scanned: number;
  /** Sealed values moved to the sealing key. */
  moved: number;
  /**
   * Sealed values left under an older key: one that is not listed (it cannot be opened), or a
   * value the bridge kept rewriting while we tried. A pass that leaves any retires no key.
   */
  left: number;
  /** True when this run picked up where an interrupted one stopped. */
  resumed: boolean;
  done: boolean;
}

export interface RekeyDeps {
  redis: Redis;
  keys: Pick<BridgeKeys, "tag" | "rekeyProgress" | "encryptionRetiring">;
  /** The sealer of ENCRYPTION_KEY: its first key seals, the others open what is to move. */
  sealer: Sealer;
  /** Keys per SCAN step, and per progress report. */
  batch?: number;
  onProgress?(progress: RekeyProgress): void;
}

/**
 * `bridge rekey`: re-seals with the first ENCRYPTION_KEY every value an older key sealed, under the
 * whole prefix (strings and hash fields: event bodies, run and step records, waiters' event copies,
 * kept webhook payloads, the canary). The bridge may keep running: each value is written back only
 * if it is still what was read. Resumable: the SCAN cursor and the counts are saved after every
 * step, and a run with the same sealing key continues from there (a value already moved is simply
 * skipped). A complete pass that met nothing unreadable retires the replaced keys, so the start
 * check then accepts a list without them.
 */
export async function rekey(deps: RekeyDeps): Promise<RekeyProgress> {
  const { redis, keys, sealer } = deps;
  if (!sealer.enabled || !sealer.keyId) throw new Error("ENCRYPTION_KEY is not set: there is nothing to re-seal with");
  const saved = await redis.hgetall(keys.rekeyProgress);
  const resumed = saved.keyId === sealer.keyId && saved.cursor !== undefined;
  let cursor = (resumed ? saved.cursor : undefined) ?? "0";
  const progress: RekeyProgress = {
    scanned: resumed ? Number(saved.scanned) : 0,
    moved: resumed ? Number(saved.moved) : 0,
    left: resumed ? Number(saved.left) : 0,
    resumed,
    done: false,
  };
  do {
    const [next, names] = await redis.scan(cursor, "MATCH", `${keys.tag}*`, "COUNT", deps.batch ?? 500);
    for (const name of names) {
      const counts = await resealKey(redis, name, sealer);
      progress.moved += counts.moved;
      progress.left += counts.left;
    }
    progress.scanned += names.length;
    cursor = next;
    await redis.hset(keys.rekeyProgress, {
      cursor,
      keyId: sealer.keyId,
      scanned: progress.scanned,
      moved: progress.moved,
      left: progress.left,
    });
    deps.onProgress?.({ ...progress });
  } while (cursor !== "0");
  await redis.del(keys.rekeyProgress);
  if (progress.left === 0) await redis.del(keys.encryptionRetiring);
  return { ...progress, done: true };
}

/** Every sealed value of one key moved to the sealing key: a string's value, or each hash field's. */
async function resealKey(redis: Redis, name: string, sealer: Sealer): Promise<Counts> {
  const type = await redis.type(name);
  const total: Counts = { moved: 0, left: 0 };
  const add = (counts: Counts) => ((total.moved += counts.moved), (total.left += counts.left));
  if (type === "string") add(await resealValue(redis, sealer, name, "", await redis.get(name)));
  if (type !== "hash") return total;
  let cursor = "0";
  do {
    const [next, flat] = await redis.hscan(name, cursor, "COUNT", 200);
    for (let i = 0; i < flat.length; i += 2)
      add(await resealValue(redis, sealer, name, flat[i] ?? "", flat[i + 1] ?? null));
    cursor = next;
  } while (cursor !== "0");
  return total;
}

/** One value (a string's, or a hash field's): re-sealed and written back if still unchanged, else read again. */
async function resealValue(
  redis: Redis,
  sealer: Sealer,
  name: string,
  field: string,
  value: string | null,
): Promise<Counts> {
  let current = value;
  for (let attempt = 0; current !== null && current.includes(MARK); attempt++) {
    const { text, moved, unreadable } = resealText(current, sealer);
    if (moved === 0) return { moved, left: unreadable };
    if (attempt === ATTEMPTS) return { moved: 0, left: moved + unreadable };
    const args = pushInOrder<keyof ArgsOf<typeof resealValueScript>, string>([], resealValueScript.argv, {
      field,
      asRead: current,
      resealed: text,
    });
    if (resealValueScript.decode(await redis.eval(RESEAL_VALUE, resealValueScript.keys.length, name, ...args)))
      return { moved, left: unreadable };
    current = field === "" ? await redis.get(name) : await redis.hget(name, field);
  }
  return { moved: 0, left: 0 };
}

interface Counts {
  moved: number;
  left: number;
}
