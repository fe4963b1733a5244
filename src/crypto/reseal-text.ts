import { sealedKeyId, type Sealer } from "./sealer.ts";

const MARK = "enc:v1:";
/** A sealed value's characters: `enc:v1:<key id>:<iv>:<tag>:<ciphertext>`, all base64url and colons. */
const TOKEN_CHAR = /[A-Za-z0-9_:-]/;

export interface Resealed {
  text: string;
  /** Sealed values moved to the sealing key. */
  moved: number;
  /** Sealed values under a key that is not listed: left as they are (they cannot be opened). */
  unreadable: number;
}

/**
 * Re-seals with the sealing key every sealed value in a stored text that an older key sealed.
 * Sealed values sit in Redis as whole strings or as JSON string values inside a document (an
 * event's `data`, a step's `output`); base64url and colons need no JSON escaping, so each is
 * found by its mark and read to its first other character. Each is opened and sealed again, the
 * same JSON inside. One pass, no regular expression over the text. Pure but for the sealer's IVs.
 */
export function resealText(text: string, sealer: Sealer): Resealed {
  let out = "";
  let copied = 0;
  let moved = 0;
  let unreadable = 0;
  for (let start = text.indexOf(MARK); start !== -1; start = text.indexOf(MARK, start + 1)) {
    let end = start + MARK.length;
    while (end < text.length && TOKEN_CHAR.test(text[end]!)) end++;
    const token = text.slice(start, end);
    const keyId = sealedKeyId(token);
    if (keyId === sealer.keyId) continue;
    if (!sealer.keyIds.includes(keyId)) {
      unreadable++;
      continue;
    }
    out += text.slice(copied, start) + (sealer.seal(sealer.open(token)) as string);
    copied = end;
    start = end - 1;
    moved++;
  }
  return { text: moved === 0 ? text : out + text.slice(copied), moved, unreadable };
}
