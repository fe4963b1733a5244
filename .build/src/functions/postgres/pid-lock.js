import { linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
const heldHere = /* @__PURE__ */ new Set();
function acquirePidLock(file) {
  if (heldHere.has(file)) return { acquired: false, holderPid: process.pid };
  for (let attempt = 0; attempt < 2; attempt++) {
    if (createExclusively(file)) {
      heldHere.add(file);
      return { acquired: true, release: () => release(file) };
    }
    const holderPid = readPid(file);
    if (holderPid !== null && isAlive(holderPid)) return { acquired: false, holderPid };
    rmSync(file, { force: true });
  }
  return { acquired: false, holderPid: readPid(file) };
}
function createExclusively(file) {
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, `${process.pid}
`);
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    if (error.code === "EEXIST") return false;
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
}
function readPid(file) {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
function isAlive(pid) {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
function release(file) {
  if (!heldHere.delete(file)) return;
  if (readPid(file) === process.pid) rmSync(file, { force: true });
}
export {
  acquirePidLock
};
