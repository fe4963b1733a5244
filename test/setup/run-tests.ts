// `npm test`: sets the machine up for the tests (plan-test-setup.ts says what that takes), then
// type-checks, lints, checks the formatting and runs every test file, then stops what it started.
// On a fresh Debian or Ubuntu machine `npm ci && npm test` is all it takes; .ci/run calls nothing else.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { planTestSetup, type MachineFacts, type SetupStep } from "./plan-test-setup.ts";
import { findChromium, findPostgresBin, probeMachine } from "./probe-machine.ts";
import { installFromApt, startPrivatePostgres, startPrivateRedis, type StartedService } from "./start-test-services.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const say = (line: string) => process.stderr.write(`npm test: ${line}\n`);

/** The variables the tests read (test/helpers), pointing at what this run set up. */
interface TestEnvironment {
  TEST_REDIS_URL: string;
  TEST_DATABASE_URL: string;
  CHROMIUM_PATH: string;
}

async function main(): Promise<number> {
  const facts = await probeMachine(process.env);
  const plan = planTestSetup(facts);
  if (plan.kind === "refuse") {
    process.stderr.write(`${plan.line}\n`);
    return 1;
  }
  const started: StartedService[] = [];
  const stopAll = () => Promise.all(started.splice(0).map((service) => service.stop()));
  process.once("SIGINT", () => void stopAll().then(() => process.exit(130)));
  process.once("SIGTERM", () => void stopAll().then(() => process.exit(143)));
  try {
    const env = await setUp(plan.steps, facts, started);
    // What `npm run typecheck` checks: the service and tests, then the dashboard's plain JavaScript.
    for (const project of [["--noEmit"], ["-p", "tsconfig.dashboard.json"]]) {
      const code = await run([join(ROOT, "node_modules/typescript/bin/tsc"), ...project], env);
      if (code !== 0) return code;
    }
    // What `npm run lint` checks: ESLint over the checkout (eslint.config.js); an error fails the run.
    const lint = await run([join(ROOT, "node_modules/eslint/bin/eslint.js"), "."], env);
    if (lint !== 0) return lint;
    // What `npm run format:check` checks: the code as Prettier lays it out (`npm run format` fixes it).
    const format = await run(
      [join(ROOT, "node_modules/prettier/bin/prettier.cjs"), "--check", "--log-level", "warn", "."],
      env,
    );
    if (format !== 0) return format;
    // Each file runs in a process of its own, which --test-timeout also bounds: 600 s, the budget the
    // longest test declares for itself (50 worker kills), which a 300 s bound cut short on a loaded machine.
    // The spec reporter on every Node (Node 20 writes TAP when not on a terminal): it ends with the
    // failing tests repeated, so a CI log cut to its tail still names what failed.
    return await run(
      [
        "--import",
        "tsx",
        "--test",
        "--test-reporter=spec",
        "--test-concurrency=2",
        "--test-timeout=600000",
        ...testFiles(),
      ],
      env,
    );
  } finally {
    await stopAll();
  }
}

/** Carries the plan out, in its order (apt first, so what it installs can be started). */
async function setUp(steps: SetupStep[], facts: MachineFacts, started: StartedService[]): Promise<TestEnvironment> {
  const env: TestEnvironment = {
    TEST_REDIS_URL: facts.redis.url,
    TEST_DATABASE_URL: facts.postgres.url,
    CHROMIUM_PATH: facts.chromiumPath?.path ?? facts.chromiumOnPath ?? "",
  };
  for (const step of steps) {
    if (step.kind === "apt-install") {
      say(`installing ${step.packages.join(", ")} from apt`);
      installFromApt(step.packages);
    } else if (step.kind === "start-redis") {
      const redis = await startPrivateRedis(step.port);
      started.push(redis);
      env.TEST_REDIS_URL = redis.url;
      say(`Redis: ${step.why}; started a private redis-server there for this run`);
    } else {
      const bin = findPostgresBin(process.env.PATH ?? "");
      if (!bin) throw new Error("no initdb and postgres found, even after installing postgresql");
      const postgres = await startPrivatePostgres(bin);
      started.push(postgres);
      env.TEST_DATABASE_URL = postgres.url;
      say(`PostgreSQL at ${step.why}; started a private one for this run at ${postgres.url}`);
    }
  }
  // Installed just now, if it was missing: found the same way as before.
  env.CHROMIUM_PATH ||= findChromium(process.env.PATH ?? "") ?? "";
  if (!env.CHROMIUM_PATH) throw new Error("Chromium is still not on PATH after installing it");
  return env;
}

/** Every test file, as the shell expanded test/*\/*.test.ts before (Node 20's --test takes no patterns). */
function testFiles(): string[] {
  const folders = readdirSync(join(ROOT, "test"), { withFileTypes: true }).filter((entry) => entry.isDirectory());
  return folders
    .flatMap((folder) =>
      readdirSync(join(ROOT, "test", folder.name))
        .filter((file) => file.endsWith(".test.ts"))
        .map((file) => join("test", folder.name, file)),
    )
    .sort();
}

/** Runs this Node with `args` in the checkout; answers its exit code. */
function run(args: string[], env: TestEnvironment): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`npm test: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
