import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { planTestSetup, type MachineFacts, type SetupPlan } from "../setup/plan-test-setup.ts";

/** A machine with everything the tests need, as the dev machines and CI have it. */
const READY: MachineFacts = {
  redis: { url: "redis://127.0.0.1:6379", configured: false, port: 6379, state: "ready" },
  postgres: { url: "postgres://postgres@127.0.0.1:5432/test", configured: false, state: "ready" },
  redisServer: "/usr/bin/redis-server",
  postgresBin: "/usr/lib/postgresql/15/bin",
  chromiumOnPath: "/usr/bin/chromium",
  root: false,
  aptGet: true,
  ubuntu: false,
};
const machine = (changes: Partial<MachineFacts>, drop: Array<keyof MachineFacts> = []): MachineFacts => {
  const facts: MachineFacts = { ...READY, ...changes };
  for (const key of drop) delete facts[key];
  return facts;
};
const QUIET_REDIS = { ...READY.redis, state: "nothing-listens" } as const;
const QUIET_POSTGRES = { ...READY.postgres, state: "nothing-listens" } as const;
const WRONG_PASSWORD = {
  ...READY.postgres,
  state: "refuses",
  why: 'password authentication failed for user "postgres"',
} as const;

describe("planTestSetup: given what the machine has, what npm test does before the tests", () => {
  const cases: Array<[string, MachineFacts, SetupPlan]> = [
    ["everything is there: nothing to do", READY, { kind: "run", steps: [] }],
    [
      "Redis does not answer at the default address: a private redis-server there",
      machine({ redis: QUIET_REDIS }),
      { kind: "run", steps: [{ kind: "start-redis", port: 6379, why: "nothing answers at redis://127.0.0.1:6379" }] },
    ],
    [
      "PostgreSQL does not answer: a private one",
      machine({ postgres: QUIET_POSTGRES }),
      {
        kind: "run",
        steps: [{ kind: "start-postgres", why: "postgres://postgres@127.0.0.1:5432/test: nothing listens there" }],
      },
    ],
    [
      "PostgreSQL answers but refuses the tests' user (a fresh Debian cluster): a private one",
      machine({ postgres: WRONG_PASSWORD }),
      {
        kind: "run",
        steps: [
          {
            kind: "start-postgres",
            why: 'postgres://postgres@127.0.0.1:5432/test: password authentication failed for user "postgres"',
          },
        ],
      },
    ],
    [
      "a fresh machine, as root: install all three from apt first, then start the services",
      machine({ redis: QUIET_REDIS, postgres: QUIET_POSTGRES, root: true }, [
        "redisServer",
        "postgresBin",
        "chromiumOnPath",
      ]),
      {
        kind: "run",
        steps: [
          { kind: "apt-install", packages: ["redis-server", "postgresql", "chromium"] },
          { kind: "start-redis", port: 6379, why: "nothing answers at redis://127.0.0.1:6379" },
          { kind: "start-postgres", why: "postgres://postgres@127.0.0.1:5432/test: nothing listens there" },
        ],
      },
    ],
    [
      "Ubuntu, as root, without Chromium: its chromium-browser package",
      machine({ root: true, ubuntu: true }, ["chromiumOnPath"]),
      { kind: "run", steps: [{ kind: "apt-install", packages: ["chromium-browser"] }] },
    ],
    [
      "Chromium under another name or place, by CHROMIUM_PATH: used as it is",
      machine({ chromiumPath: { path: "/opt/chrome/chrome", executable: true } }, ["chromiumOnPath"]),
      { kind: "run", steps: [] },
    ],
    [
      "PostgreSQL's binaries are needed even when one answers (the set-up's own tests start one): installed as root",
      machine({ root: true }, ["postgresBin"]),
      { kind: "run", steps: [{ kind: "apt-install", packages: ["postgresql"] }] },
    ],
    [
      "not root: one line naming what is missing and the sudo command that installs it",
      machine({}, ["redisServer", "chromiumOnPath"]),
      {
        kind: "refuse",
        line:
          "npm test: cannot run the tests: missing redis-server (the outage tests start their own), Chromium (neither chromium nor chromium-browser is on PATH); " +
          "install with: sudo apt-get install -y redis-server chromium",
      },
    ],
    [
      "root without apt-get: the same line, without sudo",
      machine({ root: true, aptGet: false, postgres: QUIET_POSTGRES }, ["postgresBin"]),
      {
        kind: "refuse",
        line: "npm test: cannot run the tests: missing PostgreSQL's initdb and postgres (a private server is started from them); install with: apt-get install -y postgresql",
      },
    ],
    [
      "a CHROMIUM_PATH that is not a program: refused even as root, since apt cannot fix the variable",
      machine({ root: true, chromiumPath: { path: "/opt/nothing", executable: false } }),
      {
        kind: "refuse",
        line: "npm test: cannot run the tests: missing Chromium at CHROMIUM_PATH (/opt/nothing is not an executable file); point CHROMIUM_PATH at Chromium, or unset it",
      },
    ],
    [
      "a TEST_REDIS_URL that does not answer is not replaced by a private Redis",
      machine({
        root: true,
        redis: { url: "redis://10.0.0.5:6379", configured: true, port: 6379, state: "nothing-listens" },
      }),
      {
        kind: "refuse",
        line: "npm test: cannot run the tests: missing Redis at redis://10.0.0.5:6379 (nothing listens there); start that Redis, or unset TEST_REDIS_URL",
      },
    ],
    [
      "a TEST_DATABASE_URL that refuses is not replaced by a private PostgreSQL",
      machine({ postgres: { ...WRONG_PASSWORD, configured: true } }),
      {
        kind: "refuse",
        line: 'npm test: cannot run the tests: missing PostgreSQL at TEST_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test: password authentication failed for user "postgres"); start it, or unset TEST_DATABASE_URL',
      },
    ],
    [
      "a password in a URL never reaches the line",
      machine({
        postgres: {
          url: "postgres://postgres:s3cret@db.internal:5432/test",
          configured: true,
          state: "nothing-listens",
        },
      }),
      {
        kind: "refuse",
        line: "npm test: cannot run the tests: missing PostgreSQL at TEST_DATABASE_URL (postgres://postgres:***@db.internal:5432/test: nothing listens there); start it, or unset TEST_DATABASE_URL",
      },
    ],
    [
      "something else on Redis's default port: named, with the variable that moves the tests elsewhere",
      machine({ redis: { ...READY.redis, state: "refuses", why: "NOAUTH Authentication required." } }),
      {
        kind: "refuse",
        line: "npm test: cannot run the tests: missing Redis at redis://127.0.0.1:6379 (NOAUTH Authentication required.); stop what listens there, or set TEST_REDIS_URL",
      },
    ],
    [
      "what apt can install and what it cannot, together: both in the one line, nothing installed",
      machine({ root: true, chromiumPath: { path: "/opt/nothing", executable: false } }, ["redisServer"]),
      {
        kind: "refuse",
        line:
          "npm test: cannot run the tests: missing redis-server (the outage tests start their own), Chromium at CHROMIUM_PATH (/opt/nothing is not an executable file); " +
          "install with: apt-get install -y redis-server; point CHROMIUM_PATH at Chromium, or unset it",
      },
    ],
  ];
  for (const [name, facts, expected] of cases) {
    test(name, () => assert.deepEqual(planTestSetup(facts), expected));
  }

  test("a refusal is one line", () => {
    for (const [, facts] of cases) {
      const plan = planTestSetup(facts);
      if (plan.kind === "refuse") assert.doesNotMatch(plan.line, /\n/);
    }
  });
});
