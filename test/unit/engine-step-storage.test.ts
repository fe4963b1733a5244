import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { createSealer } from "../../src/crypto/sealer.ts";
import { decodeRun, decodeStep, encodeStep, STEP_FIELD, type StepState } from "../../src/engine/store/run-state.ts";

const completed: StepState = {
  id: "welcome-email",
  name: "welcome-email",
  op: "run",
  seq: 0,
  status: "completed",
  attempts: 1,
  startedAt: 1_000,
  endedAt: 1_180,
  durationMs: 180,
  output: { messageId: "<m1@localhost>" },
};

describe("a step as stored", () => {
  test("leaves out what its field and its times already say, and reads back whole", () => {
    const stored = JSON.parse(encodeStep(completed)) as Record<string, unknown>;
    assert.equal(stored.id, undefined, "the id is the hash field's name");
    assert.equal(stored.name, undefined, "a name equal to the id is not repeated");
    assert.equal(stored.durationMs, undefined, "a duration equal to endedAt - startedAt is not repeated");
    assert.equal(stored.status, "completed", "the status stays: resolve-step-1.lua reads it");
    assert.deepEqual(decodeStep(encodeStep(completed), completed.id), completed);
  });

  test("keeps a name other than the id, and a duration other than its times (a retried step)", () => {
    const retried: StepState = { ...completed, name: "Send the welcome email", attempts: 2, durationMs: 40 };
    const stored = JSON.parse(encodeStep(retried)) as Record<string, unknown>;
    assert.equal(stored.name, "Send the welcome email");
    assert.equal(stored.durationMs, 40);
    assert.deepEqual(decodeStep(encodeStep(retried), retried.id), retried);
  });

  test("a step stored whole (earlier versions, signals) reads the same", () => {
    assert.deepEqual(decodeStep(JSON.stringify(completed), "ignored"), completed);
  });

  test("a step being retried has no end, and keeps its duration", () => {
    const running: StepState = {
      id: "s",
      name: "s",
      op: "run",
      seq: 1,
      status: "retrying",
      attempts: 1,
      startedAt: 5,
      durationMs: 3,
      retryAt: 900,
    };
    assert.deepEqual(decodeStep(encodeStep(running), "s"), running);
  });

  test("sealed with ENCRYPTION_KEY, its output opens to the same step", () => {
    const sealer = createSealer([randomBytes(32)]);
    const json = encodeStep(completed, sealer);
    assert.ok(!json.includes("m1@localhost"), "the output is not in clear");
    assert.deepEqual(decodeStep(json, completed.id, sealer), completed);
  });

  test("a run's steps come back with their ids, in call order", () => {
    const second: StepState = {
      ...completed,
      id: "trial-offer-email",
      name: "trial-offer-email",
      seq: 2,
      startedAt: 2_000,
      endedAt: 2_010,
      durationMs: 10,
    };
    const hash = {
      status: "completed",
      functionId: "f",
      eventId: "e",
      createdAt: "1",
      [STEP_FIELD + second.id]: encodeStep(second),
      [STEP_FIELD + completed.id]: encodeStep(completed),
    };
    const run = decodeRun("r", hash, JSON.stringify({ id: "e", name: "app/x", data: {} }));
    assert.deepEqual(run?.steps, [completed, second]);
    assert.equal(run?.attempt, 0, "a run stored without `attempt` has made no retry");
  });
});
