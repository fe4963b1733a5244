import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { BackfillError } from "./backfill-error.ts";
import { errorCodeOf, messageOf } from "../util/thrown.ts";

/**
 * The backfill's progress on disk (`DATA_DIR/backfill-<resource>.json`, or `--state`). Written
 * only after the intake acknowledged a page, so a run stopped at any moment (Ctrl-C, a crash, an
 * outage that outlasted the retries) resumes from the last page the bridge holds.
 */
const stateSchema = z.object({
  version: z.literal(1),
  resource: z.string(),
  /** The Clerk instance the cursor belongs to: the API URL and a digest of the secret key, never the key. */
  instance: z.string(),
  cursor: z.object({
    offset: z.number().int().nonnegative(),
    lastCreatedAt: z.number().nullable(),
    lastIds: z.array(z.string()),
  }),
  /** Records sent so far, over every run of this backfill. */
  sent: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
  startedAt: z.string(),
  updatedAt: z.string(),
  /** Set when the list was read to its end; the next run starts over. */
  finishedAt: z.string().optional(),
});

export type BackfillState = z.infer<typeof stateSchema>;

/** The state at `path`, or undefined when there is none yet. */
export async function loadBackfillState(path: string): Promise<BackfillState | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (errorCodeOf(error) === "ENOENT") return undefined;
    throw new BackfillError(`cannot read the backfill state ${path}: ${messageOf(error)}`);
  }
  const parsed = stateSchema.safeParse(parseJson(text));
  if (!parsed.success)
    throw new BackfillError(`${path} is not a backfill state file; pass --restart to start over, or another --state`);
  return parsed.data;
}

/**
 * Replaces the file in one rename, so a crash while writing leaves the previous state, never half
 * of one.
 */
export async function saveBackfillState(path: string, state: BackfillState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, path);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
