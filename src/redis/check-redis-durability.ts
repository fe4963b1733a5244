import type { Redis } from "ioredis";
import { configValue } from "./replies.ts";

/**
 * Warnings for a Redis that would lose accepted events: an answer of 200 promises the event is
 * kept, which needs persistence, and `maxmemory-policy` other than noeviction lets Redis drop
 * queued jobs under memory pressure (BullMQ's own production advice).
 */
export async function checkRedisDurability(redis: Redis): Promise<string[]> {
  const warnings: string[] = [];
  const persistence = parseInfo(await redis.info("persistence"));
  const aof = persistence.get("aof_enabled") === "1";
  const save = (await configValue(redis, "save")) ?? "";
  if (!aof && save.trim() === "") {
    warnings.push(
      "Redis has neither AOF nor RDB persistence: a Redis restart loses every accepted event. Set appendonly yes.",
    );
  }
  const policy = await configValue(redis, "maxmemory-policy");
  if (policy && policy !== "noeviction") {
    warnings.push(
      `Redis maxmemory-policy is ${policy}: under memory pressure it may evict queued events. Use noeviction.`,
    );
  }
  return warnings;
}

function parseInfo(info: string): Map<string, string> {
  const entries = info
    .split("\r\n")
    .filter((line) => line.includes(":"))
    .map((line): [string, string] => {
      const [name = "", value = ""] = line.split(":", 2);
      return [name, value];
    });
  return new Map(entries);
}
