import assert from "node:assert/strict";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { listen } from "../../src/http/listen.ts";
import { makeTestApp, type TestApp } from "../helpers/test-app.ts";

/** Whatever the server answers on a raw socket within `waitMs`, or "" when it said nothing. */
function slowRequest(port: number, head: string, trickle: string | undefined, waitMs: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    let dripping: NodeJS.Timeout | undefined;
    const finish = () => {
      clearInterval(dripping);
      clearTimeout(deadline);
      socket.destroy();
      resolve(answer);
    };
    const deadline = setTimeout(finish, waitMs);
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("close", finish);
    socket.on("error", finish);
    socket.write(head);
    // One byte every 200 ms: the sender is alive, just slow.
    if (trickle !== undefined) dripping = setInterval(() => socket.write(trickle), 200);
  });
}

describe("slow senders (issue 19)", () => {
  let t: TestApp;
  let server: Server;
  let port: number;
  before(async () => {
    t = await makeTestApp({ HTTP_REQUEST_TIMEOUT: "2s", HTTP_HEADERS_TIMEOUT: "1s" });
    server = await listen(t.app, { ...t.config, port: 0, host: "127.0.0.1" });
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    await t.close();
  });

  test("a body that trickles in is answered 408 after HTTP_REQUEST_TIMEOUT, not minutes later", async () => {
    const head =
      "POST /webhooks/clerk HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{";
    const answer = await slowRequest(port, head, " ", 15_000);
    assert.match(answer, /^HTTP\/1\.1 408 /, `answered: ${JSON.stringify(answer.slice(0, 80))}`);
  });

  test("headers that trickle in are answered 408 after HTTP_HEADERS_TIMEOUT", async () => {
    const answer = await slowRequest(port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n", "X", 15_000);
    assert.match(answer, /^HTTP\/1\.1 408 /, `answered: ${JSON.stringify(answer.slice(0, 80))}`);
  });

  test("HTTP_HEADERS_TIMEOUT may not be longer than HTTP_REQUEST_TIMEOUT: the start names the variable", async () => {
    const { loadConfig } = await import("../../src/config/load-config.ts");
    assert.throws(
      () => loadConfig({ HTTP_REQUEST_TIMEOUT: "10s", HTTP_HEADERS_TIMEOUT: "20s" }),
      /HTTP_HEADERS_TIMEOUT: must not be longer than HTTP_REQUEST_TIMEOUT/,
    );
    assert.deepEqual(loadConfig({}).http, { headersTimeoutMs: 20_000, requestTimeoutMs: 30_000 });
  });
});
