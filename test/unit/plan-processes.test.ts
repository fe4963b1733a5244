import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ONE_PROCESS_UP_TO_CORES, planProcesses } from "../../src/cluster/plan-processes.ts";
import { loadConfig, type Config } from "../../src/config/load-config.ts";

const DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

/** A configuration as loadConfig makes it, on a machine of `cores` when WORKERS is auto. */
function on(cores: number, env: Record<string, string> = {}): Config {
  const config = loadConfig({ DATABASE_URL, ...env });
  return env.WORKERS === undefined ? { ...config, workers: cores } : config;
}

describe("planProcesses", () => {
  test("WORKERS=auto runs one process on a machine of two cores, saying why", () => {
    const plan = planProcesses(on(2));
    assert.equal(plan.processes, 1);
    assert.match(plan.reason ?? "", /one process: on 2 cores/);
  });

  test("WORKERS=auto runs one per core above the threshold", () => {
    assert.deepEqual(planProcesses(on(ONE_PROCESS_UP_TO_CORES + 2)), { processes: ONE_PROCESS_UP_TO_CORES + 2 });
    assert.deepEqual(planProcesses(on(1)), { processes: 1 });
  });

  test("an explicit WORKERS is kept on any machine", () => {
    assert.deepEqual(planProcesses(on(2, { WORKERS: "2" })), { processes: 2 });
  });

  test("the embedded PostgreSQL keeps auto to one process on a large machine", () => {
    const config = { ...loadConfig({}), workers: 8 };
    assert.equal(planProcesses(config).processes, 1);
    assert.match(planProcesses(config).reason ?? "", /embedded PostgreSQL/);
  });
});
