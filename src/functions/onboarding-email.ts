import { NonRetriableError, type BridgeFunction } from "../client/index.ts";
import { bridgeApp } from "./bridge-app.ts";
import { primaryEmail, userId } from "./clerk-user.ts";
import { isPermanentSmtpError, stableMessageId, type Mailer, type SentEmail } from "./mail/create-mailer.ts";
import { trialOfferEmail, welcomeEmail, type EmailMessage, type Recipient } from "./mail/email-messages.ts";

import { ONBOARDING_EMAIL_ID } from "../config/built-in-ids.ts";
import { skippedSend, type UserGoneCheck } from "./user-gone.ts";

/**
 * The welcome drip: a welcome email, a durable sleep of ONBOARDING_DELAY, a trial offer. Each
 * send is a step, so once it succeeded a retry or a crash never sends it again; a user deleted in
 * Clerk during the sleep cancels the run (cancelOn), so they never get the offer. A deletion that
 * came first (Svix does not keep order) cancels nothing: each send step looks right before it
 * sends whether the user is deleted or erased, and if so sends nothing and ends the run, its
 * result saying why.
 */
export function createOnboardingEmail(deps: {
  mailer: Mailer;
  delayMs: number;
  from: string;
  userGone?: UserGoneCheck;
}): BridgeFunction {
  // A step keeps what identifies the email, not the address: that is the event's, and a copy in
  // every run's steps would be one more place holding it for RETENTION.
  const send = async (to: Recipient, message: EmailMessage, key: string): Promise<Omit<SentEmail, "to">> => {
    try {
      const { messageId, via } = await deps.mailer.send({
        ...message,
        to: to.email,
        messageId: stableMessageId(key, deps.from),
      });
      return { messageId, via };
    } catch (error) {
      // A refused mailbox stays refused; only transient failures (server down, 4xx) are retried.
      if (isPermanentSmtpError(error))
        throw new NonRetriableError(`the mail server refused the email: ${(error as Error).message}`, { cause: error });
      throw error;
    }
  };

  return bridgeApp.createFunction(
    {
      id: ONBOARDING_EMAIL_ID,
      name: "Onboarding emails",
      triggers: [{ event: "clerk/user.created" }],
      retries: 10,
      cancelOn: [{ event: "clerk/user.deleted", if: "event.data.id == async.data.id" }],
    },
    async ({ event, step, logger }) => {
      const data = event.data;
      const email = primaryEmail(data);
      if (!email) {
        logger.warn(
          { userId: userId(data), eventId: event.id },
          "onboarding-email: the user has no primary email address, no onboarding emails will be sent",
        );
        throw new NonRetriableError(`user ${userId(data) ?? "(no id)"} has no primary email address`);
      }
      const recipient: Recipient = { email, firstName: data.first_name ?? null };
      const id = userId(data);
      // Checked inside the step: a retry looks again, and a stored result (sent or skipped) stands.
      const sendUnlessGone = async (message: EmailMessage, key: string) => {
        const gone = id && deps.userGone ? await deps.userGone([id]) : undefined;
        return gone ? skippedSend(gone) : send(recipient, message, key);
      };
      const welcome = await step.run("welcome-email", () =>
        sendUnlessGone(welcomeEmail(recipient), `${event.id}.welcome`),
      );
      if ("skipped" in welcome) return { welcome };
      await step.sleep("wait-onboarding-delay", deps.delayMs);
      const trialOffer = await step.run("trial-offer-email", () =>
        sendUnlessGone(trialOfferEmail(recipient), `${event.id}.trial-offer`),
      );
      return { welcome, trialOffer };
    },
  );
}
