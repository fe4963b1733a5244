import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { BackfillError } from "./backfill-error.js";
const stateSchema = z.object({
  version: z.literal(1),
  resource: z.string(),
  /** The Clerk instance the cursor belongs to: the API URL and a digest of the secret key, never the key. */
  instance: z.string(),
  cursor: z.object({
    offset: z.number().int().nonnegative(),
    lastCreatedAt: z.number().nullable(),
    lastIds: z.array(z.string())
  }),
  /** Records sent so far, over every run of this backfill. */
  sent: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
  startedAt: z.string(),
  updatedAt: z.string(),
  /** Set when the list was read to its end; the next run starts over. */
  finishedAt: z.string().optional()
});
async function loadBackfillState(path) {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw new BackfillError(`cannot read the backfill state ${path}: ${error.message}`);
  }
  const parsed = stateSchema.safeParse(parseJson(text));
  if (!parsed.success) throw new BackfillError(`${path} is not a backfill state file; pass --restart to start over, or another --state`);
  return parsed.data;
}
async function saveBackfillState(path, state) {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}
`);
  await rename(temporary, path);
}
function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return void 0;
  }
}
export {
  loadBackfillState,
  saveBackfillState
};
