import { BridgeError } from "../errors.js";
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;
const requireJson = (req, _res, next) => {
  const contentType = req.headers["content-type"] ?? "";
  if (!JSON_TYPE.test(contentType)) {
    return next(new BridgeError("unsupported_media_type", "the body must be application/json"));
  }
  const charset = CHARSET.exec(contentType)?.[1]?.toLowerCase();
  if (charset !== void 0 && charset !== "utf-8" && charset !== "utf8") {
    return next(new BridgeError("unsupported_media_type", "a JSON body must be UTF-8"));
  }
  next();
};
export {
  requireJson
};
