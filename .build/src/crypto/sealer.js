import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
const PREFIX = "enc:v1:";
class SealError extends Error {
  name = "SealError";
}
const IDENTITY_SEALER = {
  enabled: false,
  seal: (value) => value,
  open: (value) => openUnsealed(value),
  sealEvent: (event) => event,
  openEvent: (event) => isSealed(event.data) || isSealed(event.user) ? openUnsealedEvent(event) : event
};
function keyIdOf(key) {
  return createHash("sha256").update(key).digest("base64url").slice(0, 8);
}
function isSealed(value) {
  return typeof value === "string" && value.startsWith(PREFIX);
}
function createSealer(keys) {
  if (keys.length === 0) return IDENTITY_SEALER;
  const byId = new Map(keys.map((key) => [keyIdOf(key), key]));
  const [sealing] = keys;
  const sealingId = keyIdOf(sealing);
  function seal(value) {
    if (value === void 0) return void 0;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", sealing, iv);
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
    return `${PREFIX}${sealingId}:${iv.toString("base64url")}:${cipher.getAuthTag().toString("base64url")}:${ciphertext.toString("base64url")}`;
  }
  function open(value) {
    if (!isSealed(value)) return value;
    const [keyId, iv, tag, ciphertext] = value.slice(PREFIX.length).split(":");
    const key = byId.get(keyId ?? "");
    if (!key || iv === void 0 || tag === void 0 || ciphertext === void 0) {
      throw new SealError(`data sealed with key ${keyId} cannot be opened: that key is not in ENCRYPTION_KEY`);
    }
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8"));
  }
  return {
    enabled: true,
    keyId: sealingId,
    seal,
    open,
    sealEvent: (event) => ({ ...event, data: seal(event.data), ...event.user === void 0 ? {} : { user: seal(event.user) } }),
    openEvent: (event) => ({ ...event, data: open(event.data), ...event.user === void 0 ? {} : { user: open(event.user) } })
  };
}
function openUnsealed(value) {
  if (isSealed(value)) throw new SealError("this data is sealed, and ENCRYPTION_KEY is not set");
  return value;
}
function openUnsealedEvent(event) {
  return { ...event, data: openUnsealed(event.data), user: openUnsealed(event.user) };
}
export {
  IDENTITY_SEALER,
  SealError,
  createSealer,
  isSealed,
  keyIdOf
};
