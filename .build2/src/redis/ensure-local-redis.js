import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createConnection } from "node:net";
import { resolve } from "node:path";
import { StartupError } from "../errors.js";
import { DEFAULT_REDIS_URL } from "./create-redis.js";
/**
 * The first-run path: with no REDIS_URL and nothing on 127.0.0.1:6379, start a private
 * redis-server (AOF on, files under DATA_DIR/redis) rather than fail. With REDIS_URL set, the
 * operator chose a Redis and it is used as given.
 */
export async function ensureLocalRedis(configuredUrl, dataDir, local = { port: 6379, binary: "redis-server" }) {
    if (configuredUrl)
        return { url: configuredUrl };
    const url = local.port === 6379 ? DEFAULT_REDIS_URL : `redis://127.0.0.1:${local.port}`;
    if (await answers("127.0.0.1", local.port))
        return { url };
    if (spawnSync(local.binary, ["--version"]).status !== 0) {
        throw new StartupError("redis_unreachable", `REDIS_URL is not set and nothing answers on 127.0.0.1:${local.port}. Start Redis (apt-get install redis-server, ` +
            "brew install redis, or docker compose up redis) or set REDIS_URL=redis://host:6379.");
    }
    const dir = resolve(dataDir, "redis");
    mkdirSync(dir, { recursive: true });
    const child = spawn(local.binary, ["--port", String(local.port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--save", "", "--maxmemory-policy", "noeviction"], { stdio: "ignore" });
    for (let attempt = 0; attempt < 50; attempt++) {
        if (await answers("127.0.0.1", local.port))
            return { url, child };
        await new Promise((done) => setTimeout(done, 100));
    }
    child.kill();
    throw new StartupError("redis_unreachable", `started redis-server but it did not answer on 127.0.0.1:${local.port} within 5 s`);
}
function answers(host, port) {
    return new Promise((done) => {
        const socket = createConnection({ host, port, timeout: 500 });
        socket.once("connect", () => {
            socket.destroy();
            done(true);
        });
        socket.once("error", () => done(false));
        socket.once("timeout", () => {
            socket.destroy();
            done(false);
        });
    });
}
