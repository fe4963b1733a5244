import express from "express";
import { BridgeError } from "../errors.js";
const MAX_JSON_DEPTH = 64;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const BACKSLASH = 92;
function parseJson(text, maxDepth = MAX_JSON_DEPTH) {
  if (openingsExceed(text, maxDepth) && nestingDepth(text, maxDepth) > maxDepth) {
    throw new BridgeError("body_malformed", `the body nests deeper than ${maxDepth} levels`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new BridgeError("body_malformed", "the body is not valid JSON");
  }
}
function openingsExceed(text, limit) {
  let count = 0;
  for (const opening of ["{", "["]) {
    for (let at = text.indexOf(opening); at !== -1; at = text.indexOf(opening, at + 1)) {
      if (++count > limit) return true;
    }
  }
  return false;
}
function nestingDepth(text, limit = Infinity) {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
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
function jsonBody(limit) {
  return [
    express.raw({ type: () => true, limit }),
    (req, _res, next) => {
      if (!Buffer.isBuffer(req.body)) return next();
      req.body = req.body.length === 0 ? {} : parseJson(req.body.toString("utf8"));
      next();
    }
  ];
}
export {
  MAX_JSON_DEPTH,
  jsonBody,
  nestingDepth,
  parseJson
};
