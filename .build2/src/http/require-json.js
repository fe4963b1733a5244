import { BridgeError } from "../errors.js";
// application/json or application/<anything>+json, with or without parameters.
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;
/**
 * 415 before the body is read: both Svix and the Inngest SDK send application/json. JSON is
 * UTF-8 (RFC 8259), and the body is verified and parsed as such, so another declared charset is
 * refused rather than silently misread.
 */
export const requireJson = (req, _res, next) => {
    const contentType = req.headers["content-type"] ?? "";
    if (!JSON_TYPE.test(contentType)) {
        return next(new BridgeError("unsupported_media_type", "the body must be application/json"));
    }
    const charset = CHARSET.exec(contentType)?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
        return next(new BridgeError("unsupported_media_type", "a JSON body must be UTF-8"));
    }
    next();
};
