#!/usr/bin/env node
// The `bridge` CLI. The code is TypeScript; tsx (a runtime dependency) loads it, so this works
// from a fresh clone after `npm ci`, with no build step.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/cli/main.ts");

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
