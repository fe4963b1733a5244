import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { resealText } from "../../src/crypto/reseal-text.ts";
import { createSealer, keyIdOf, sealedKeyId } from "../../src/crypto/sealer.ts";

const [oldKey, newKey, lostKey] = [randomBytes(32), randomBytes(32), randomBytes(32)];
const old = createSealer([oldKey]);
const lost = createSealer([lostKey]);
const sealer = createSealer([newKey, oldKey]);

describe("resealText: what bridge rekey does to one stored value", () => {
  test("moves every value an older listed key sealed, inside JSON or whole, and leaves the rest byte for byte", () => {
    const current = sealer.seal({ kept: true }) as string;
    const document = JSON.stringify({
      id: "evt_1",
      data: old.seal({ email: "ada@example.org" }),
      user: old.seal({ id: "user_1" }),
      output: current,
      plain: "enc:v1 is just text",
    });
    const { text, moved, unreadable } = resealText(document, sealer);
    assert.equal(moved, 2);
    assert.equal(unreadable, 0);
    const parsed = JSON.parse(text) as Record<string, string>;
    assert.equal(sealedKeyId(parsed.data!), keyIdOf(newKey));
    assert.deepEqual(sealer.open(parsed.data), { email: "ada@example.org" });
    assert.deepEqual(sealer.open(parsed.user), { id: "user_1" });
    assert.equal(parsed.output, current, "a value already under the sealing key is not touched");
    assert.equal(parsed.plain, "enc:v1 is just text");
    const whole = old.seal("x") as string;
    assert.deepEqual(sealer.open(resealText(whole, sealer).text), "x");
  });

  test("a value under a key that is not listed is counted and left alone; text without sealed values is returned as it is", () => {
    const foreign = JSON.stringify({ data: lost.seal({ a: 1 }) });
    assert.deepEqual(resealText(foreign, sealer), { text: foreign, moved: 0, unreadable: 1 });
    assert.deepEqual(resealText("no sealed value here", sealer), {
      text: "no sealed value here",
      moved: 0,
      unreadable: 0,
    });
  });
});
