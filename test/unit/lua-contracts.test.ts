import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { describe, test } from "node:test";
import { RESEAL_VALUE, resealValueScript } from "../../src/crypto/rekey.ts";
import { ENGINE_LUA_DIR, ENGINE_SCRIPTS, readEngineScript } from "../../src/engine/store/lua-scripts.ts";
import { claimDebounce, releaseSlot, routeEvent, saveStep, startRun } from "../../src/engine/store/script-contracts.ts";
import { DROP_ERASED, dropErasedScript } from "../../src/queue/drop-erased.ts";
import { checkLuaContract, type LuaContract } from "../../src/util/lua-contract.ts";

const SCRIPTS: Array<[LuaContract, string]> = [
  ...ENGINE_SCRIPTS.map((contract): [LuaContract, string] => [contract, readEngineScript(contract.file)]),
  [resealValueScript, RESEAL_VALUE],
  [dropErasedScript, DROP_ERASED],
];

describe("each Lua script matches its declaration", () => {
  for (const [contract, source] of SCRIPTS) {
    test(`${contract.file}: keys, arguments and reply codes in the declared places`, () => {
      assert.deepEqual(checkLuaContract(contract, source), []);
    });
  }

  test("every script of the engine has a declaration", () => {
    const files = readdirSync(ENGINE_LUA_DIR).filter((file) => file.endsWith(".lua"));
    assert.deepEqual(files.sort(), ENGINE_SCRIPTS.map((contract) => contract.file).sort());
  });
});

describe("a script that drifts from its declaration is caught", () => {
  const lua = readEngineScript(routeEvent.file);
  const problems = (source: string, contract: LuaContract = routeEvent) => checkLuaContract(contract, source);

  test("two of a run's arguments swapped in the header", () => {
    const swapped = lua
      .replace("+4 rateLimit: rate limit (0", "+4 ratePeriodMs: rate limit (0")
      .replace("+5 ratePeriodMs:", "+5 rateLimit:");
    assert.match(
      problems(swapped).join("\n"),
      /ARGV per run: declared \[.*rateLimit, ratePeriodMs.*\], the header says \[.*ratePeriodMs, rateLimit/,
    );
  });

  test("a per-run argument the declaration has but the script does not read", () => {
    const declared = {
      ...routeEvent,
      each: { ...routeEvent.each!, argv: [...routeEvent.each!.argv, "concurrencyKey"] },
    };
    const found = problems(lua, declared).join("\n");
    assert.match(found, /ARGV per run: declared \[.*fieldCount, concurrencyKey\]/);
    assert.match(found, /the body reads offsets 0, .*, 14, 16 are declared/);
    assert.match(found, /never steps by the group's 16/);
  });

  test("a fixed key read by the body but not declared, and a declared one no longer read", () => {
    const shifted = lua.replace(
      'redis.call("HSET", KEYS[5], fields[f + 1], "")',
      'redis.call("HSET", KEYS[6], fields[f + 1], "")',
    );
    const found = problems(shifted);
    assert.ok(found.includes("KEYS[5] (functionsWithRuns) is declared but never read by the body"), found.join("\n"));
  });

  test("a reply code renumbered in the header", () => {
    const renumbered = lua.replace("   3  rate-limited:", "   7  rate-limited:");
    assert.ok(problems(renumbered).includes("reply 3: the header does not name it rate-limited"));
  });

  test("an argument added to a fixed-key script's body and not to its header", () => {
    const [header, body] = readEngineScript(saveStep.file).split("]]") as [string, string];
    const source = `${header}]]${body.replace("ARGV[2]", "ARGV[3]")}`;
    const found = checkLuaContract(saveStep, source);
    assert.ok(found.includes("ARGV[3] is read by the body but not declared"), found.join("\n"));
    assert.ok(found.includes("ARGV[2] (step) is declared but never read by the body"), found.join("\n"));
  });

  test("a file name whose key count disagrees with the declared keys", () => {
    const found = checkLuaContract({ ...startRun, file: "start-run-3.lua" }, readEngineScript(startRun.file));
    assert.deepEqual(found, ["start-run-3.lua: the file name's key count does not match 2 keys"]);
  });
});

describe("replies read as the declared unions", () => {
  test("route-event: the waiters, then one result per run by its code", () => {
    const reply = [
      ["w1", "{}"],
      ["data.id"],
      [1, 50, "r0"],
      [0, 60, ""],
      [-1, 0, ""],
      [3, 0, ""],
      [4, 0, "r9"],
      [5, 70, ""],
      [6, 0, ""],
      [2, 0, ""],
    ];
    assert.deepEqual(routeEvent.decode(reply), {
      waiters: { w1: "{}" },
      waiterPaths: ["data.id"],
      runs: [
        { result: "created", startAt: 50, detail: "r0" },
        { result: "queued", startAt: 60 },
        { result: "idempotent", startAt: 0 },
        { result: "rate-limited", startAt: 0 },
        { result: "singleton-skipped", startAt: 0, detail: "r9" },
        { result: "cancelled", startAt: 70 },
        { result: "admitted", startAt: 0 },
        { result: "ended", startAt: 0 },
      ],
    });
  });

  test("claim-debounce, release-slot, start-run", () => {
    assert.deepEqual(claimDebounce.decode(["claimed", "{}"]), { kind: "claimed", event: "{}" });
    assert.deepEqual(claimDebounce.decode(["wait", "1700"]), { kind: "wait", until: 1700 });
    assert.deepEqual(claimDebounce.decode(["gone"]), { kind: "gone" });
    assert.equal(releaseSlot.decode(""), undefined);
    assert.equal(releaseSlot.decode("run-2"), "run-2");
    assert.deepEqual(startRun.decode([["status", "running"], false]), { hash: { status: "running" } });
    assert.deepEqual(startRun.decode([[], "{}"]), { hash: {}, eventBody: "{}" });
  });
});
