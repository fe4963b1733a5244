import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Redis } from "ioredis";
import { bridgeKeys } from "../../src/redis/keys.ts";
import { spawnBridge, stopBridge, type BridgeProcess } from "../helpers/bridge-process.ts";
import { dropPrefix, TEST_REDIS_URL, testPrefix } from "../helpers/test-redis.ts";

const TOKEN = "search-responsiveness-admin-token";
/** A health check slower than this means the search held the event loop (a generous bound, not a benchmark). */
const HEALTH_BOUND_MS = 2000;
/** Each search must end; the old backtracking matcher never did (an uncaught hang fails here, not forever). */
const SEARCH_BOUND_MS = 30_000;

/**
 * Issue 19, high 2: a search pattern from the operator API must not freeze the process. The bridge
 * runs as a process of its own, so that when a search does freeze it, this test still gets to
 * fail (and kill it) instead of hanging with it.
 */
describe("an events search with a hostile pattern", () => {
  const prefix = testPrefix();
  let bridge: BridgeProcess;
  let redis: Redis;

  before(async () => {
    redis = new Redis(TEST_REDIS_URL);
    // The names index at its cap, every name as long as the intake allows and built to make a
    // backtracking matcher try every split: runs of `a`, no `b`; some with a newline, which `.`
    // does not cross.
    const names: Array<string | number> = [];
    for (let i = 0; i < 10_000; i++) {
      const name =
        i % 2 === 0
          ? `${"a".repeat(244)}${String(i).padStart(6, "0")}`
          : `${"a".repeat(120)}\n${"a".repeat(123)}${String(i).padStart(6, "0")}`;
      names.push(Date.now(), name);
    }
    await redis.zadd(bridgeKeys(prefix).eventNames, ...names);
    bridge = await spawnBridge(
      { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, ADMIN_TOKEN: TOKEN, FUNCTIONS: "none" },
      "receiver",
    );
  });

  after(async () => {
    // SIGKILL: a process frozen in a regular expression does not handle SIGTERM.
    if (bridge) await stopBridge(bridge, "SIGKILL");
    await dropPrefix(prefix);
    redis.disconnect();
  });

  // [what, the pattern, how many names it matches: none has a `b`; a star crosses a newline]
  const patterns: Array<[string, string, number]> = [
    ["*a*a*a*a*b (polynomial backtracking)", "*a*a*a*a*b", 0],
    ["256 stars (exponential over a newline)", "*".repeat(256), 10_000],
    ["stars between long literals", `*${"a".repeat(60)}*${"a".repeat(60)}*${"a".repeat(60)}b*`, 0],
  ];
  for (const [label, pattern, matching] of patterns) {
    test(`/healthz answers within 2 s while ${label} is searched`, async () => {
      const started = Date.now();
      const search = fetch(`${bridge.url}/api/events?q=${encodeURIComponent(pattern)}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
        signal: AbortSignal.timeout(SEARCH_BOUND_MS),
      });
      let searched = false;
      const done = search.then(
        async (response) => {
          searched = true;
          return {
            status: response.status,
            body: (await response.json()) as { events: unknown[]; search?: { kind: string; names?: string[] } },
          };
        },
        (error: unknown) => {
          searched = true;
          throw error;
        },
      );
      let probes = 0;
      while (!searched && Date.now() - started < SEARCH_BOUND_MS) {
        const probeStarted = Date.now();
        const health = await fetch(`${bridge.url}/healthz`, { signal: AbortSignal.timeout(HEALTH_BOUND_MS) }).catch(
          (error: unknown) => error,
        );
        assert.ok(
          health instanceof Response && health.ok,
          `/healthz did not answer within ${HEALTH_BOUND_MS} ms (${Date.now() - probeStarted} ms) during the search`,
        );
        probes++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const answer = await done;
      assert.equal(answer.status, 200);
      assert.equal(answer.body.search?.kind, "names");
      // Past NAME_UNION_MAX (50) matching names, the answer names the first 50 and scans.
      assert.equal(answer.body.search?.names?.length, Math.min(matching, 50));
      assert.ok(probes > 0, "the search ended before /healthz was asked once");
    });
  }
});
