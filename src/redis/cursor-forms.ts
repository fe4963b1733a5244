/**
 * The forms of the positions listings page by, checked before a client's `before` reaches Redis
 * (a stream id Redis cannot parse was a 500; issue 19).
 */

/** A time index member (`indexMember` in keys.ts): 13-digit zero-padded ms, `|`, the id (an event id is at most 512 characters). */
export const INDEX_MEMBER = /^\d{13}\|[^]{1,512}$/;

/** A Redis stream id: `<ms>-<seq>`. */
export const STREAM_ID = /^\d{1,20}-\d{1,20}$/;
