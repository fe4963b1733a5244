#!/usr/bin/env node
// The `bridge` CLI. In a checkout the code is TypeScript, loaded through tsx (a runtime
// dependency), so it works right after `npm ci` with no build step; in the Docker image, where
// only the compiled dist/ ships, it runs that.
import { existsSync } from "node:fs";

const compiled = new URL("../dist/src/cli/main.js", import.meta.url);
const source = new URL("../src/cli/main.ts", import.meta.url);
let entry = compiled;
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  entry = source;
}
const { runCli } = await import(entry.href);

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  readStdin: async () => {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    return Buffer.concat(chunks).toString("utf8");
  },
  fetch: globalThis.fetch,
});
// `start` resolves while the server keeps the process alive; only set the code, never exit here.
process.exitCode = code;
