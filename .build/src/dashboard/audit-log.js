const AUDIT_ACTIONS = [
  "sign-in",
  "sign-out",
  "send",
  "replay",
  "edit-and-replay",
  "cancel",
  "retry",
  "erase",
  "rerun-delivery",
  "send-to-dev-bridge",
  "bulk-replay",
  "bulk-retry",
  "bulk-cancel",
  "pause",
  "resume"
];
const AUDIT_MAX_ENTRIES = 1e4;
const AUDIT_RETENTION_MS = 90 * 24 * 60 * 60 * 1e3;
function createAuditLog(redis, keys) {
  return {
    async record(entry) {
      const fields = ["actor", entry.actor, "action", entry.action];
      if (entry.target !== void 0) fields.push("target", entry.target);
      if (entry.address !== void 0) fields.push("address", entry.address);
      if (entry.details !== void 0) fields.push("details", JSON.stringify(entry.details));
      const oldest = `${Math.max(0, Date.now() - AUDIT_RETENTION_MS)}-0`;
      const results = await redis.pipeline().xadd(keys.audit, "MAXLEN", "~", AUDIT_MAX_ENTRIES, "*", ...fields).xtrim(keys.audit, "MINID", "~", oldest).exec();
      const failed = results?.find(([error]) => error)?.[0];
      if (failed) throw failed;
    },
    async list({ limit, before }) {
      const upper = before === void 0 ? "+" : `(${before}`;
      const rows = await redis.xrevrange(keys.audit, upper, "-", "COUNT", limit);
      const items = rows.map(([id, fields]) => toEntry(id, fields));
      return { items, next: rows.length === limit ? rows.at(-1)?.[0] : void 0 };
    }
  };
}
function toEntry(id, flat) {
  const fields = /* @__PURE__ */ new Map();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i], flat[i + 1]);
  const details = fields.get("details");
  return {
    id,
    at: Number(id.split("-")[0]),
    actor: fields.get("actor") ?? "unknown",
    action: fields.get("action") ?? "unknown",
    ...fields.has("target") ? { target: fields.get("target") } : {},
    ...fields.has("address") ? { address: fields.get("address") } : {},
    ...details ? { details: JSON.parse(details) } : {}
  };
}
export {
  AUDIT_ACTIONS,
  AUDIT_MAX_ENTRIES,
  AUDIT_RETENTION_MS,
  createAuditLog
};
