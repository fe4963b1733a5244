import { linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
/** Lock files held by this process: a second open in the same process is refused too. */
const heldHere = new Set();
export function acquirePidLock(file) {
    if (heldHere.has(file))
        return { acquired: false, holderPid: process.pid };
    // Two tries: the second follows the removal of a stale lock.
    for (let attempt = 0; attempt < 2; attempt++) {
        if (createExclusively(file)) {
            heldHere.add(file);
            return { acquired: true, release: () => release(file) };
        }
        const holderPid = readPid(file);
        if (holderPid !== null && isAlive(holderPid))
            return { acquired: false, holderPid };
        // Stale. Two processes finding the same stale lock at the same instant could both take it
        // over; PostgreSQL accepts that window too, as it needs a crash and two starts at once.
        rmSync(file, { force: true });
    }
    // Another process took the lock between our removal of the stale one and our second try.
    return { acquired: false, holderPid: readPid(file) };
}
/**
 * The lock appears with its pid already in it: written to a private file, then hard-linked to
 * the lock's name, which fails if the name exists. A reader never sees a half-written lock.
 */
function createExclusively(file) {
    const draft = `${file}.${process.pid}.tmp`;
    writeFileSync(draft, `${process.pid}\n`);
    try {
        linkSync(draft, file);
        return true;
    }
    catch (error) {
        if (error.code === "EEXIST")
            return false;
        throw error;
    }
    finally {
        rmSync(draft, { force: true });
    }
}
function readPid(file) {
    try {
        const pid = Number.parseInt(readFileSync(file, "utf8"), 10);
        return Number.isInteger(pid) && pid > 0 ? pid : null;
    }
    catch {
        return null;
    }
}
/**
 * Our own pid in a lock we do not hold is a previous life of this process: in a container the
 * bridge is often pid 1 after every restart (PostgreSQL makes the same exception).
 */
function isAlive(pid) {
    if (pid === process.pid)
        return false;
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        // EPERM: the process exists but belongs to another user.
        return error.code === "EPERM";
    }
}
function release(file) {
    if (!heldHere.delete(file))
        return;
    // Only our own lock: never delete one another process took over after ours went stale.
    if (readPid(file) === process.pid)
        rmSync(file, { force: true });
}
