import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { unpackData, unpackEventData } from "./packed-data.ts";

/**
 * Personal data at rest: AES-256-GCM (node:crypto) over JSON, with ENCRYPTION_KEY. Several keys
 * for a rotation: the first seals, every one opens. A sealed value is one string,
 * `enc:v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url), so it fits wherever the JSON value was;
 * anything else opens as itself, so data written before a key was set stays readable.
 *
 * Without a key the sealer is the identity: nothing is sealed, nothing needs opening.
 */
export interface Sealer {
  readonly enabled: boolean;
  /** The id of the key that seals (a digest; never the key). */
  readonly keyId?: string;
  /** The ids of every key that opens, the sealing one first. */
  readonly keyIds: readonly string[];
  seal(value: unknown): unknown;
  open(value: unknown): unknown;
  /**
   * An event's `data` and `user`, the fields that carry personal data, sealed or opened; opening
   * also unpacks a `data` the intake packed (packed-data.ts).
   */
  sealEvent<T extends { data?: unknown; user?: unknown }>(event: T): T;
  openEvent<T extends { data?: unknown; user?: unknown }>(event: T): T;
}

const PREFIX = "enc:v1:";

export class SealError extends Error {
  override name = "SealError";
}

export const IDENTITY_SEALER: Sealer = {
  enabled: false,
  keyIds: [],
  seal: (value) => value,
  open: (value) => openUnsealed(value),
  sealEvent: (event) => event,
  openEvent: (event) => {
    const unpacked = unpackEventData(event);
    return isSealed(unpacked.data) || isSealed(unpacked.user) ? openUnsealedEvent(unpacked) : unpacked;
  },
};

export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 8);
}

export function isSealed(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(PREFIX);
}

/** The id of the key a sealed value was sealed with. */
export function sealedKeyId(value: string): string {
  return value.slice(PREFIX.length).split(":")[0] ?? "";
}

/** A sealer over 32-byte keys; the first seals. */
export function createSealer(keys: readonly Buffer[]): Sealer {
  if (keys.length === 0) return IDENTITY_SEALER;
  const byId = new Map(keys.map((key) => [keyIdOf(key), key]));
  const [sealing] = keys as [Buffer];
  const sealingId = keyIdOf(sealing);

  function seal(value: unknown): unknown {
    if (value === undefined) return undefined;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", sealing, iv);
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
    return `${PREFIX}${sealingId}:${iv.toString("base64url")}:${cipher.getAuthTag().toString("base64url")}:${ciphertext.toString("base64url")}`;
  }

  function open(value: unknown): unknown {
    if (!isSealed(value)) return value;
    const [keyId, iv, tag, ciphertext] = value.slice(PREFIX.length).split(":");
    const key = byId.get(keyId ?? "");
    if (!key || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new SealError(`data sealed with key ${keyId} cannot be opened: that key is not in ENCRYPTION_KEY`);
    }
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return JSON.parse(
      Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8"),
    );
  }

  return {
    enabled: true,
    keyId: sealingId,
    keyIds: [...byId.keys()],
    seal,
    open,
    sealEvent: (event) => ({
      ...event,
      data: seal(event.data),
      ...(event.user === undefined ? {} : { user: seal(event.user) }),
    }),
    openEvent: (event) => ({
      ...event,
      data: unpackData(open(event.data)),
      ...(event.user === undefined ? {} : { user: open(event.user) }),
    }),
  };
}

function openUnsealed(value: unknown): unknown {
  if (isSealed(value)) throw new SealError("this data is sealed, and ENCRYPTION_KEY is not set");
  return value;
}

function openUnsealedEvent<T extends { data?: unknown; user?: unknown }>(event: T): T {
  return { ...event, data: openUnsealed(event.data), user: openUnsealed(event.user) };
}
