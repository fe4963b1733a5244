import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadConfig } from "../../src/config/load-config.ts";
import { addressRefusal } from "../../src/outbound/address-policy.ts";

describe("the address policy of outgoing requests (FETCH_ALLOW_PRIVATE)", () => {
  const strict = loadConfig({}).outboundPolicy;
  const cases: Array<[string, string | undefined]> = [
    ["93.184.216.34", undefined],
    ["2606:2800:220:1:248:1893:25c8:1946", undefined],
    ["127.0.0.1", "loopback"],
    ["127.8.9.10", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["10.0.0.1", "private"],
    ["172.16.5.4", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "linkLocal"],
    ["fe80::1", "linkLocal"],
    ["fd00::1", "uniqueLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
  ];
  for (const [address, expected] of cases) {
    test(`${address}: ${expected ?? "reachable"} by default`, () =>
      assert.equal(addressRefusal(strict, address), expected));
  }

  test("a CIDR list lets exactly those ranges through; true lets everything through", () => {
    const listed = loadConfig({ FETCH_ALLOW_PRIVATE: "10.0.0.0/8, 127.0.0.1, fd00::/8" }).outboundPolicy;
    assert.equal(addressRefusal(listed, "10.9.8.7"), undefined);
    assert.equal(addressRefusal(listed, "127.0.0.1"), undefined);
    assert.equal(addressRefusal(listed, "::ffff:127.0.0.1"), undefined);
    assert.equal(addressRefusal(listed, "fd12::1"), undefined);
    assert.equal(addressRefusal(listed, "127.0.0.2"), "loopback");
    assert.equal(addressRefusal(listed, "192.168.0.1"), "private");
    assert.equal(
      addressRefusal(loadConfig({ FETCH_ALLOW_PRIVATE: "true" }).outboundPolicy, "169.254.169.254"),
      undefined,
    );
    assert.deepEqual(loadConfig({ FETCH_ALLOW_PRIVATE: "false" }).outboundPolicy, strict);
  });

  test("anything else stops the start naming the variable", () => {
    for (const value of ["yes", "10.0.0.0/33", "localhost", "10.0.0.0/8,nope"]) {
      assert.throws(
        () => loadConfig({ FETCH_ALLOW_PRIVATE: value }),
        /FETCH_ALLOW_PRIVATE: must be true, false, or a comma list of CIDR ranges/,
      );
    }
  });
});
