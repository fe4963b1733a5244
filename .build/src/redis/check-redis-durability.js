async function checkRedisDurability(redis) {
  const warnings = [];
  const persistence = parseInfo(await redis.info("persistence"));
  const aof = persistence.get("aof_enabled") === "1";
  const [, save = ""] = await redis.config("GET", "save").catch(() => []) ?? [];
  if (!aof && save.trim() === "") {
    warnings.push(
      "Redis has neither AOF nor RDB persistence: a Redis restart loses every accepted event. Set appendonly yes."
    );
  }
  const [, policy] = await redis.config("GET", "maxmemory-policy").catch(() => []) ?? [];
  if (policy && policy !== "noeviction") {
    warnings.push(`Redis maxmemory-policy is ${policy}: under memory pressure it may evict queued events. Use noeviction.`);
  }
  return warnings;
}
function parseInfo(info) {
  const entries = info.split("\r\n").filter((line) => line.includes(":")).map((line) => line.split(":", 2));
  return new Map(entries);
}
export {
  checkRedisDurability
};
