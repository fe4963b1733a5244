/**
 * Resident memory of a process and all its descendants, from /proc (Linux). The bridge may run
 * several worker processes under one supervisor, so its footprint is the sum over the tree.
 */
import { readdir, readFile } from "node:fs/promises";

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

/** Samples the tree under `rootPid` every `intervalMs` until stopped. */
export function startRssSampler(rootPid: number, intervalMs = 100): RssSampler {
  const peaks: TreeUsage = { totalMiB: 0, processMiB: 0, processes: 0, cpuSeconds: 0, samples: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      const tree = await readTree(rootPid);
      if (tree.length > 0) {
        const rss = tree.map((proc) => proc.rssMiB);
        peaks.totalMiB = Math.max(peaks.totalMiB, rss.reduce((sum, value) => sum + value, 0));
        peaks.processMiB = Math.max(peaks.processMiB, ...rss);
        peaks.processes = Math.max(peaks.processes, tree.length);
        peaks.cpuSeconds = tree.reduce((sum, proc) => sum + proc.cpuSeconds, 0);
        peaks.samples++;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, intervalMs - (Date.now() - started))));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peaks;
    },
  };
}

interface ProcessSample {
  pid: number;
  ppid: number;
  cpuSeconds: number;
  rssMiB: number;
}

/** `rootPid` and each of its descendants alive now. */
export async function readTree(rootPid: number): Promise<ProcessSample[]> {
  const processes = await readProcesses();
  const tree = descendants(rootPid, processes);
  const withRss = await Promise.all(tree.map(async (proc) => ({ ...proc, rssMiB: await readVmRssMiB(proc.pid) })));
  return withRss.filter((proc): proc is ProcessSample => proc.rssMiB !== null);
}

/** /proc/<pid>/stat counts CPU time in USER_HZ ticks, 100 a second on Linux x86 and arm. */
const TICKS_PER_SECOND = 100;

/** Parent and CPU time of every process; one that ends while being read is skipped. */
async function readProcesses(): Promise<Array<Omit<ProcessSample, "rssMiB">>> {
  const pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name));
  const processes = await Promise.all(
    pids.map(async (pid) => {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
      if (!stat) return null;
      // The command name (field 2) may hold spaces and parentheses: fields 3.. follow its last ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
      return { pid: Number(pid), ppid: fields[1]!, cpuSeconds: (fields[11]! + fields[12]!) / TICKS_PER_SECOND };
    }),
  );
  return processes.filter((proc) => proc !== null);
}

function descendants<T extends { pid: number; ppid: number }>(rootPid: number, processes: T[]): T[] {
  const tree = processes.filter((proc) => proc.pid === rootPid);
  for (let index = 0; index < tree.length; index++) {
    tree.push(...processes.filter((proc) => proc.ppid === tree[index]!.pid));
  }
  return tree;
}

async function readVmRssMiB(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => null);
  const kib = status ? /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] : undefined;
  return kib === undefined ? null : Number(kib) / 1024;
}
