import { spawn, type ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { freePort } from "./private-redis.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface BridgeProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string>;
  output(): string;
}

/** Starts `src/app/main.ts` exactly as `npm start` does, as its own process, so it can be killed. */
export async function spawnBridge(
  env: Record<string, string>,
  role: "all" | "receiver" | "worker",
): Promise<BridgeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/app/main.ts", "--role", role], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, LOG_LEVEL: "warn", WORKERS: "1", PORT: String(port), HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output = (output + chunk).slice(-20_000)));
  child.stderr?.on("data", (chunk) => (output = (output + chunk).slice(-20_000)));
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "?")),
  );
  const bridge = { child, port, url: `http://127.0.0.1:${port}`, exited, output: () => output };
  if (role !== "worker") await waitForHttp(bridge);
  return bridge;
}

async function waitForHttp(bridge: BridgeProcess): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (bridge.child.exitCode !== null) throw new Error(`bridge exited at start:\n${bridge.output()}`);
    try {
      if ((await fetch(`${bridge.url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`bridge did not listen within 30 s:\n${bridge.output()}`);
}

export async function stopBridge(bridge: BridgeProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<number | string> {
  if (bridge.child.exitCode === null && bridge.child.signalCode === null) bridge.child.kill(signal);
  return bridge.exited;
}
