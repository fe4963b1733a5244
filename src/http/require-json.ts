import type { RequestHandler } from "express";
import { BridgeError } from "../errors.ts";

// application/json or application/<anything>+json, with or without parameters.
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/** 415 before the body is read: both Svix and the Inngest SDK send application/json. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (JSON_TYPE.test(req.headers["content-type"] ?? "")) return next();
  next(new BridgeError("unsupported_media_type", "the body must be application/json"));
};
