import { parseArgs } from "node:util";
import { LOCAL_SECRET_SOURCE } from "../webhooks/local-webhook-secret.ts";
import { bridgeUrl, UsageError, type CliIo } from "./cli-io.ts";
import { freshenSample, listSampleTypes, readSample, type ClerkPayload, type Json } from "./clerk-samples.ts";
import { applyDataOverrides } from "./data-overrides.ts";
import { svixHeaders } from "./sign-command.ts";
import { signingSecretFor } from "./signing-secret.ts";

/**
 * `bridge trigger <type> [--data ...]`: what `stripe trigger` is to Stripe. Sends Clerk's sample
 * of that event type to the running bridge's /webhooks/clerk as Svix would deliver it: fresh ids
 * and dates (a new user each time, never a redelivery), a new svix-id, signed with the secret
 * the bridge verifies with. Prints the bridge's answer, the event id and its dashboard page;
 * exits 2 when the bridge refuses it (4xx), 1 when it fails (5xx), 0 when it took it.
 */
export async function triggerCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { data: { type: "string", multiple: true } },
  });
  const [type, extra] = positionals;
  if (!type || extra !== undefined)
    throw new UsageError(`usage: bridge trigger <type> [--data ...]; types: ${listSampleTypes().join(", ")}`);
  const base = bridgeUrl(io.env);
  const { secret, from } = signingSecretFor(LOCAL_SECRET_SOURCE, io.env);
  const payload = prepareDelivery(readSample(type), values.data ?? [], Date.now());
  const body = JSON.stringify(payload);
  const headers = svixHeaders({ secret, body });
  const url = `${base}/webhooks/${LOCAL_SECRET_SOURCE}`;
  io.stdout.write(`POST ${url} clerk/${type} (svix-id ${headers["svix-id"]}), signed with ${from}\n`);
  const answer = await post(io, url, headers, body, base);
  io.stdout.write(`answer: ${answer.status} ${answer.text}\n`);
  if (answer.status >= 400) {
    io.stderr.write(`bridge trigger: the bridge refused the delivery: ${refusal(answer)}\n`);
    return answer.status < 500 ? 2 : 1;
  }
  const ids = Array.isArray(answer.json?.ids) ? (answer.json.ids as string[]) : [];
  if (ids.length === 0) io.stdout.write("event: none (the template dropped the delivery; nothing was stored)\n");
  for (const id of ids) io.stdout.write(`event: ${id}\ndashboard: ${base}/#/events/${encodeURIComponent(id)}\n`);
  const dataId = (payload.data as { id?: Json } | null)?.id;
  if (typeof dataId === "string") io.stdout.write(`data.id: ${dataId}\n`);
  return 0;
}

/** The sample as a new delivery, with the caller's changes to its data applied last. */
export function prepareDelivery(sample: ClerkPayload, overrides: readonly string[], now: number): ClerkPayload {
  const fresh = freshenSample(sample, now);
  const data = fresh.data;
  if (data === null || typeof data !== "object" || Array.isArray(data)) return fresh;
  return { ...fresh, data: applyDataOverrides(data, overrides) };
}

interface Answer {
  status: number;
  text: string;
  json?: { ids?: unknown; error?: { code?: string; message?: string } };
}

async function post(
  io: CliIo,
  url: string,
  headers: Record<string, string>,
  body: string,
  base: string,
): Promise<Answer> {
  let response: Response;
  try {
    response = await io.fetch(url, { method: "POST", headers, body });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new UsageError(
      `cannot reach the bridge at ${base} (${cause}); is it running (npm start)? set BRIDGE_URL otherwise`,
    );
  }
  const text = await response.text();
  try {
    return { status: response.status, text, json: JSON.parse(text) };
  } catch {
    return { status: response.status, text: text.slice(0, 500) };
  }
}

/** One line: the code and message of the bridge's error body, and the fix for the usual ones. */
function refusal(answer: Answer): string {
  const { code, message } = answer.json?.error ?? {};
  const said = code ? `${answer.status} ${code}: ${message ?? ""}` : `${answer.status} ${answer.text}`;
  if (code === "signature_invalid")
    return `${said} (the bridge verifies with another secret: give this command its CLERK_WEBHOOK_SECRET, or its DATA_DIR)`;
  if (code === "timestamp_stale")
    return `${said} (this machine's clock and the bridge's differ by more than 5 minutes)`;
  return said;
}
