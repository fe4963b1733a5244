/**
 * Resident memory of a process and all its descendants, from /proc (Linux). The bridge may run
 * several worker processes under one supervisor, so its footprint is the sum over the tree.
 *
 * Finding the descendants means reading every process's /proc/<pid>/stat (this kernel has no
 * /proc/<pid>/task/<tid>/children): that scan runs once a second, without blocking the event
 * loop, and the tree's own few files are read synchronously at each sample (measured here, an
 * async read of a /proc file costs over 20 times the CPU of a sync one: on a 2-core machine the
 * bench's CPU is the bridge's loss).
 */
import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

export interface TreeUsage {
  /** Highest sum of VmRSS over the tree at one sample, in MiB. */
  totalMiB: number;
  /** Highest VmRSS of any single process of the tree, in MiB. */
  processMiB: number;
  /** Most processes seen in the tree at once. */
  processes: number;
  /** CPU time (user + system) the tree had used at the last sample, in seconds. */
  cpuSeconds: number;
  samples: number;
}

export interface RssSampler {
  /** Stops sampling and returns the peaks over the whole time it ran. */
  stop(): Promise<TreeUsage>;
}

/** /proc/<pid>/stat counts CPU time in USER_HZ ticks, 100 a second on Linux x86 and arm. */
const TICKS_PER_SECOND = 100;
const SCAN_EVERY_MS = 1000;

/** Samples the tree under `rootPid` every `intervalMs` until stopped. */
export function startRssSampler(rootPid: number, intervalMs = 100): RssSampler {
  const usage: TreeUsage = { totalMiB: 0, processMiB: 0, processes: 0, cpuSeconds: 0, samples: 0 };
  let tree = [rootPid];
  const stopped = new AbortController();
  const every = async (ms: number, work: () => unknown) => {
    while (!stopped.signal.aborted) {
      await work();
      await sleep(ms, undefined, { signal: stopped.signal }).catch(() => undefined);
    }
  };
  const loops = Promise.all([
    every(SCAN_EVERY_MS, async () => (tree = await findTree(rootPid))),
    every(intervalMs, () =>
      record(
        usage,
        tree.map(readUsage).filter((proc) => proc !== null),
      ),
    ),
  ]);
  return {
    async stop() {
      stopped.abort();
      await loops;
      return usage;
    },
  };
}

function record(usage: TreeUsage, tree: Array<{ rssMiB: number; cpuSeconds: number }>): void {
  if (tree.length === 0) return;
  const rss = tree.map((proc) => proc.rssMiB);
  usage.totalMiB = Math.max(
    usage.totalMiB,
    rss.reduce((sum, value) => sum + value, 0),
  );
  usage.processMiB = Math.max(usage.processMiB, ...rss);
  usage.processes = Math.max(usage.processes, tree.length);
  usage.cpuSeconds = tree.reduce((sum, proc) => sum + proc.cpuSeconds, 0);
  usage.samples++;
}

/** `rootPid` and its descendants, by parent pid; a process that ends while being read is skipped. */
export async function findTree(rootPid: number): Promise<number[]> {
  const pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name));
  const parents = await Promise.all(
    pids.map(async (pid) => statFields(await readFile(`/proc/${pid}/stat`, "utf8").catch(() => ""))?.[1]),
  );
  const tree = [rootPid];
  for (let index = 0; index < tree.length; index++) {
    pids.forEach((pid, i) => parents[i] === tree[index] && tree.push(Number(pid)));
  }
  return tree;
}

/** VmRSS (MiB) and CPU time so far (s) of one process, or null if it is gone. */
export function readUsage(pid: number): { rssMiB: number; cpuSeconds: number } | null {
  try {
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    const fields = statFields(readFileSync(`/proc/${pid}/stat`, "utf8"));
    if (kib === undefined || !fields) return null;
    return { rssMiB: Number(kib) / 1024, cpuSeconds: (fields[11]! + fields[12]!) / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

/** Fields 3.. of /proc/<pid>/stat as numbers (index 1 is the parent pid, 11 and 12 utime, stime). */
function statFields(stat: string): number[] | null {
  // The command name (field 2) may hold spaces and parentheses: the rest follows its last ")".
  const end = stat.lastIndexOf(")");
  return end < 0
    ? null
    : stat
        .slice(end + 2)
        .split(" ")
        .map(Number);
}
