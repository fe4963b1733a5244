import type { RequestHandler } from "express";
import { BridgeError } from "../errors.ts";

/** 415 before the body is read: both Svix and the Inngest SDK send application/json. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (req.is("application/json") || req.is("application/*+json")) return next();
  next(new BridgeError("unsupported_media_type", "the body must be application/json"));
};
