import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { Webhook } from "svix";
import { bridgeUrl, UsageError } from "./cli-io.js";
import { readJsonInput } from "./read-input.js";
function signedCurl(options) {
  const id = options.id ?? `msg_${randomUUID().replaceAll("-", "")}`;
  const now = options.now ?? /* @__PURE__ */ new Date();
  const headers = {
    "content-type": "application/json",
    "svix-id": id,
    "svix-timestamp": String(Math.floor(now.getTime() / 1e3)),
    "svix-signature": new Webhook(options.secret).sign(id, now, options.body)
  };
  const lines = [
    `curl -sS -X POST ${quote(options.url)}`,
    ...Object.entries(headers).map(([name, value]) => `-H ${quote(`${name}: ${value}`)}`),
    `--data-raw ${quote(options.body)}`
  ];
  return { command: lines.join(" \\\n  "), headers, body: options.body };
}
function quote(text) {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
async function signCommand(args, io) {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { source: { type: "string", default: "clerk" } } });
  const source = values.source;
  const variable = `${source.toUpperCase().replaceAll("-", "_")}_WEBHOOK_SECRET`;
  const secret = io.env[variable]?.split(/[\s,]+/).find(Boolean);
  if (!secret) throw new UsageError(`${variable} is not set: sign needs the same whsec_... secret as the bridge`);
  const { value } = await readJsonInput(positionals[0], io);
  const body = JSON.stringify(value);
  const { command } = signedCurl({ secret, url: `${bridgeUrl(io.env)}/webhooks/${source}`, body });
  io.stdout.write(`${command}
`);
  io.stderr.write("# valid for 5 minutes (Svix's timestamp tolerance)\n");
  return 0;
}
export {
  quote,
  signCommand,
  signedCurl
};
