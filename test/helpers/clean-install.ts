import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** The checkout these tests run in. */
export const CHECKOUT = fileURLToPath(new URL("../..", import.meta.url));

export interface CleanInstall {
  /** The folder: the checkout's tracked files and a node_modules of their own, nothing else. */
  dir: string;
  /** What `npm ci` printed (npm writes its warnings to stderr). */
  npmOutput: string;
  remove(): void;
}

/**
 * What a clone of this commit gets: the files git tracks, as they are in the working tree (so
 * uncommitted edits are tested, untracked files are not: a clone would not have them either).
 * Nothing else comes along: no node_modules, .run, data or .env. Answers the number of files.
 */
export function copyTrackedFiles(destination: string, source = CHECKOUT): number {
  const listed = execFileSync("git", ["ls-files", "-z"], { cwd: source, encoding: "utf8" }).split("\0").filter(Boolean);
  // A file deleted but not yet committed is still listed: a clone of the next commit lacks it too.
  const present = listed.filter((file) => existsSync(join(source, file)));
  for (const file of present) {
    mkdirSync(dirname(join(destination, file)), { recursive: true });
    copyFileSync(join(source, file), join(destination, file));
  }
  return present.length;
}

/**
 * A copy of the checkout in a temporary folder outside it, installed with `npm ci` as a user or a
 * deployment would (`omitDev`: `npm ci --omit=dev`, the production install). The folder sits in
 * the system's temp directory, so Node finds no node_modules of this checkout above it. npm uses
 * its cache first: the tests need the registry only for what this machine never installed.
 */
export async function installCleanCopy(options: { omitDev?: boolean } = {}): Promise<CleanInstall> {
  const dir = mkdtempSync(join(tmpdir(), "cwb-clean-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    copyTrackedFiles(dir);
    const args = ["ci", "--prefer-offline", "--no-audit", "--no-fund", ...(options.omitDev ? ["--omit=dev"] : [])];
    const { stdout, stderr } = await promisify(execFile)("npm", args, {
      cwd: dir,
      env: withoutNpmVariables(),
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    });
    return { dir, npmOutput: `${stdout}${stderr}`, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * This process's environment without what `npm test` put in it: npm reads its npm_config_*
 * variables as settings (npm_config_local_prefix names this checkout), and an npm started with
 * them could install into the checkout instead of the copy.
 */
export function withoutNpmVariables(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.toLowerCase().startsWith("npm_")));
}
