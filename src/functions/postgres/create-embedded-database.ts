import { execFile } from "node:child_process";
import { StartupError } from "../../errors.ts";

/**
 * Creates the embedded database in `dataDir` (PGlite's initdb) in a short-lived Node process of
 * its own, which the bridge then opens. Creating it in the bridge's process left about 350 MiB of
 * WebAssembly memory (initdb's instance) in that process: garbage, but V8 did not collect it while
 * its JavaScript heap stayed small, so a first start idled at ~900 MiB against ~400 MiB for every
 * start after it. The child takes that memory with it when it exits.
 */
export async function createEmbeddedDatabase(dataDir: string): Promise<void> {
  const pglite = import.meta.resolve("@electric-sql/pglite");
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)});
const db = await PGlite.create({ dataDir: process.argv[1], onStderr: () => false });
await db.close();`;
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ["--input-type=module", "--eval", script, dataDir],
      { maxBuffer: 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        reject(
          new StartupError(
            "database_unprepared",
            `could not create the embedded PostgreSQL database in ${dataDir}: ${stderr.trim() || error.message}`,
          ),
        );
      },
    );
  });
}
