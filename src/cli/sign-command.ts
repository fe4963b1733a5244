import { parseArgs } from "node:util";
import { Webhook } from "svix";
import { bridgeUrl, type CliIo } from "./cli-io.ts";
import { freshId } from "./clerk-samples.ts";
import { readJsonInput } from "./read-input.ts";
import { signingSecretFor } from "./signing-secret.ts";

export interface SignedCurl {
  command: string;
  headers: Record<string, string>;
  body: string;
}

/** The headers Svix sends with a delivery, signed with the svix library itself. */
export function svixHeaders(options: {
  secret: string;
  body: string;
  id?: string;
  now?: Date;
}): Record<string, string> {
  const id = options.id ?? freshId("msg");
  const now = options.now ?? new Date();
  return {
    "content-type": "application/json",
    "svix-id": id,
    "svix-timestamp": String(Math.floor(now.getTime() / 1000)),
    "svix-signature": new Webhook(options.secret).sign(id, now, options.body),
  };
}

/**
 * Signs a payload the way Svix does and returns a curl command that delivers it. Svix signs
 * `${id}.${timestamp}.${body}`, so the body is sent byte for byte with --data-raw; the signature
 * is valid for 5 minutes, Svix's tolerance. --fail-with-body: a refusal (401, 422) prints the
 * bridge's answer and makes curl, and so `| sh`, exit non-zero instead of looking like success.
 */
export function signedCurl(options: {
  secret: string;
  url: string;
  body: string;
  id?: string;
  now?: Date;
}): SignedCurl {
  const headers = svixHeaders(options);
  const lines = [
    `curl -sS --fail-with-body -X POST ${quote(options.url)}`,
    ...Object.entries(headers).map(([name, value]) => `-H ${quote(`${name}: ${value}`)}`),
    `--data-raw ${quote(options.body)}`,
  ];
  return { command: lines.join(" \\\n  "), headers, body: options.body };
}

/** POSIX single quotes: nothing inside is special except the quote itself. */
export function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** `bridge sign <file> [--source clerk]`: prints a ready-to-run curl command. */
export async function signCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { source: { type: "string", default: "clerk" } },
  });
  const source = values.source!;
  const { secret, from } = signingSecretFor(source, io.env);
  const { value } = await readJsonInput(positionals[0], io);
  // Compact and re-serialised: what is signed is exactly what curl sends.
  const body = JSON.stringify(value);
  const { command } = signedCurl({ secret, url: `${bridgeUrl(io.env)}/webhooks/${source}`, body });
  io.stdout.write(`${command}\n`);
  io.stderr.write(`# signed with ${from}; valid for 5 minutes (Svix's timestamp tolerance)\n`);
  return 0;
}
