import type { ErrorRequestHandler, Request, Response } from "express";
import { isBridgeError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { digest } from "../redis/keys.ts";
import type { VerifiedWebhook } from "../webhooks/verify-svix-signature.ts";
import { clientAddress } from "./client-address.ts";
import { tooManyFailures, type FailureLimiter } from "./failure-limiter.ts";
import { sendError } from "./send-error.ts";

/**
 * Webhook deliveries that fail verification are counted per client address: a flood of forged
 * ones (about 1,000 a second raised good webhooks' p50 from 4 to 48 ms: each was logged, written
 * to the delivery log and answered through the error handler) blocks the address. A blocked
 * address is answered 429 with Retry-After for what fails verification, without a log line or a
 * delivery-log entry each; a delivery from it that verifies is served as ever, so a flood from
 * an address Svix shares (a proxy without TRUST_PROXY) never holds up genuine deliveries.
 */
export async function verifyCounted(
  req: Request,
  res: Response,
  verify: () => VerifiedWebhook,
  deps: { limiter?: FailureLimiter; logger: Logger },
): Promise<VerifiedWebhook> {
  try {
    return verify();
  } catch (error) {
    const { limiter } = deps;
    if (!limiter || !isBridgeError(error) || (error.status !== 400 && error.status !== 401)) throw error;
    const address = clientAddress(req);
    // In this process's memory only: a blocked flood costs no Redis round trip per request.
    const blocked = await limiter.blockedFor(address, { local: true });
    if (blocked > 0) {
      res.locals.signatureBlocked = true;
      throw tooManyFailures(blocked);
    }
    const nowBlocked = await limiter.recordFailure(address);
    if (nowBlocked === 0) throw error;
    deps.logger.warn(
      { client: digest(address).slice(0, 12), blockedMs: nowBlocked },
      "too many webhook deliveries that fail verification from one client: its failures are answered 429 until the block ends",
    );
    throw tooManyFailures(nowBlocked);
  }
}

/** Answers a blocked address's refusals at once: counted in metrics before, neither logged nor kept after. */
export const answerBlockedQuietly: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.locals.signatureBlocked !== true || !isBridgeError(error)) return next(error);
  sendError(res, error);
};
