import express, { type RequestHandler } from "express";
import { BridgeError } from "../errors.ts";

/**
 * How deep a body may nest. Clerk's payloads nest about five levels; 64 leaves room for any real
 * event. Past a few thousand levels the serialisers downstream (BullMQ's add, JSON.stringify)
 * overflow the stack, which once answered a 5,000-level body with 503 and had Svix redeliver it
 * for a day.
 */
export const MAX_JSON_DEPTH = 64;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * JSON.parse with a bound on nesting, checked by one scan of the text before parsing (no second
 * parse, no recursion): brackets inside strings do not count. Any failure is 400 body_malformed.
 */
export function parseJson(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (openingsExceed(text, maxDepth) && nestingDepth(text, maxDepth) > maxDepth) {
    throw new BridgeError("body_malformed", `the body nests deeper than ${maxDepth} levels`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new BridgeError("body_malformed", "the body is not valid JSON");
  }
}

/**
 * Whether `text` holds more than `limit` `{` and `[` in all (in strings or not). When it does not,
 * it cannot nest deeper than `limit`: a typical webhook is settled by this count (indexOf runs
 * at memory speed) without the character-by-character scan.
 */
function openingsExceed(text: string, limit: number): boolean {
  let count = 0;
  for (const opening of ["{", "["]) {
    for (let at = text.indexOf(opening); at !== -1; at = text.indexOf(opening, at + 1)) {
      if (++count > limit) return true;
    }
  }
  return false;
}

/** The deepest nesting of objects and arrays in `text`, counting stops once past `limit`. */
export function nestingDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH)
        i++; // the escaped character, whatever it is, cannot end the string
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
    }
  }
  return deepest;
}

/**
 * A JSON body parser for routes that take JSON (the Event API, the operator API): the bytes as
 * express.raw reads them (limit, gzip/deflate/br), then parseJson. An empty body is `{}`, as
 * express.json has it; a request without a body leaves `req.body` undefined.
 */
export function jsonBody(limit: number | string): RequestHandler[] {
  return [
    express.raw({ type: () => true, limit }),
    (req, _res, next) => {
      if (!Buffer.isBuffer(req.body)) return next();
      req.body = req.body.length === 0 ? {} : parseJson(req.body.toString("utf8"));
      next();
    },
  ];
}
