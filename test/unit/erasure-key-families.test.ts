import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PERSONAL_DATA_STORES, WITHOUT_PERSONAL_DATA } from "../../src/erasure/personal-data-stores.ts";
import { bridgeKeys } from "../../src/redis/keys.ts";

interface Accounts {
  stores: ReadonlyArray<{ name: string; families: readonly string[] }>;
  declared: Readonly<Record<string, string | undefined>>;
}

/** Each family of keys.ts with what accounts for it: the stores that erase it, and a declaration of none. */
function accountsOf(families: readonly string[], { stores, declared }: Accounts) {
  return families.map((family) => ({
    family,
    erasedBy: stores.filter((store) => store.families.includes(family)).map((store) => store.name),
    declared: declared[family],
  }));
}

/** The families that nobody erases and nobody declared free of personal data. */
function unaccounted(families: readonly string[], accounts: Accounts): string[] {
  return accountsOf(families, accounts)
    .filter((account) => account.erasedBy.length === 0 && account.declared === undefined)
    .map((account) => account.family);
}

const families = Object.keys(bridgeKeys("test"));
const registry: Accounts = { stores: PERSONAL_DATA_STORES, declared: WITHOUT_PERSONAL_DATA };

describe("every key family of redis/keys.ts is erasable or declared free of personal data", () => {
  test("no family is left unaccounted for", () => {
    assert.ok(families.length > 40, "the walk sees every property of bridgeKeys(prefix)");
    assert.deepEqual(
      unaccounted(families, registry),
      [],
      "register the family with the store that erases it (src/events/personal-data.ts), or declare why it holds no personal data (src/erasure/personal-data-stores.ts)",
    );
  });

  test("a family added to keys.ts and forgotten by both is found", () => {
    assert.deepEqual(unaccounted([...families, "forgottenFamily"], registry), ["forgottenFamily"]);
    assert.deepEqual(
      unaccounted(["forgottenFamily"], { stores: [{ name: "notes", families: ["forgottenFamily"] }], declared: {} }),
      [],
    );
  });

  test("each family has one account: one store erases it, or it is declared, not both", () => {
    const doubled = accountsOf(families, registry).filter(
      (account) => account.erasedBy.length + (account.declared === undefined ? 0 : 1) > 1,
    );
    assert.deepEqual(doubled, []);
  });

  test("stores and declarations name only families that exist, with a one-line reason", () => {
    const known = new Set(families);
    for (const store of PERSONAL_DATA_STORES) {
      for (const family of store.families)
        assert.ok(known.has(family), `${store.name} registers ${family}, which keys.ts does not name`);
      assert.match(store.holds, /^[^\n]{10,200}$/, `${store.name} says what it holds`);
    }
    for (const [family, reason] of Object.entries(WITHOUT_PERSONAL_DATA)) {
      assert.ok(known.has(family), `${family} is declared, and keys.ts does not name it`);
      assert.match(reason ?? "", /^[^\n]{8,200}$/, `${family}: a one-line reason`);
    }
  });

  test("the stores that keep the user's events, runs and debounces are registered, debounces and runs before the events", () => {
    const order = PERSONAL_DATA_STORES.map((store) => store.name);
    assert.deepEqual(order, ["debounces", "runs", "users row", "outbox", "deliveries", "events"]);
  });
});
