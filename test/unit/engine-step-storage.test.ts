import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { createSealer } from "../../src/crypto/sealer.ts";
import {
  decodeRun,
  decodeStep,
  encodeStep,
  packFields,
  PACKED_FIELD,
  STEP_FIELD,
  type StepState,
} from "../../src/engine/store/run-state.ts";

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

describe("a completed run packed (PACKED_FIELD)", () => {
  /** A run as stored before packing existed, and as it is until it completes (bench:memory's onboarding run). */
  const unpacked: Record<string, string> = {
    eventId: "msg_1",
    createdAt: "1796689678794",
    functionId: "bridge-onboarding-email",
    "step:welcome-email":
      '{"op":"run","seq":0,"status":"completed","attempts":1,"startedAt":1796689678801,"endedAt":1796689678936,"output":{"messageId":"<msg_1.welcome@localhost>","via":"smtp"}}',
    "step:wait-onboarding-delay":
      '{"op":"sleep","seq":1,"status":"completed","attempts":0,"startedAt":1796689678941,"endedAt":1796689680009,"output":null}',
    output: '{"welcome":{"messageId":"<msg_1.welcome@localhost>","via":"smtp"}}',
    status: "completed",
    startedAt: "1796689678794",
    eventName: "clerk/user.created",
    endedAt: "1796689680018",
  };

  test("a record written before packing existed reads as it always did", () => {
    const run = decodeRun("r1", unpacked);
    assert.equal(run?.functionId, "bridge-onboarding-email");
    assert.equal(run?.endedAt, 1796689680018);
    assert.deepEqual(run?.output, { welcome: { messageId: "<msg_1.welcome@localhost>", via: "smtp" } });
    assert.deepEqual(
      run?.steps.map((step) => [step.id, step.durationMs]),
      [
        ["welcome-email", 135],
        ["wait-onboarding-delay", 1068],
      ],
    );
    assert.deepEqual(run?.event, { id: "msg_1", name: "clerk/user.created", data: {} });
  });

  test("reads the same as the fields it packs, in three quarters of their size or less", () => {
    const packed = { status: "completed", [PACKED_FIELD]: packFields(unpacked) };
    assert.deepEqual(decodeRun("r1", packed), decodeRun("r1", unpacked));
    assert.deepEqual(decodeRun("r1", packed, '{"id":"msg_1","name":"clerk/user.created","data":{"a":1}}')?.event, {
      id: "msg_1",
      name: "clerk/user.created",
      data: { a: 1 },
    });
    const size = (hash: Record<string, string>) => Object.entries(hash).flat().join("").length;
    assert.ok(size(packed) < size(unpacked) * 0.75, `${size(packed)} of ${size(unpacked)}`);
  });
});
