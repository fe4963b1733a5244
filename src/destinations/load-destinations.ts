import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { StartupError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { importOperatorModule } from "../modules/operator-modules.ts";
import { checkDestination, type LoadedDestination } from "./check-destination.ts";
import { errorCodeOf, messageOf } from "../util/thrown.ts";

export const DEFAULT_DESTINATIONS_DIR = "destinations";
const LOADABLE = /\.(ts|mts|js|mjs)$/;

/**
 * The destinations in DESTINATIONS_DIR (default `destinations/`), one per module (its default
 * export), checked at start like templates: a module that fails to load or breaks the contract
 * stops the start naming its file. Each is on only when its variables are set in `environment`;
 * one log line per destination says which, and why one is off. A DESTINATIONS_DIR that does not
 * exist stops the start; only the default folder may be absent. Files starting with `_` or `.`,
 * type declarations and tests are skipped.
 */
export async function loadDestinations(
  dir: string | undefined,
  environment: Readonly<Record<string, string>>,
  logger: Logger,
): Promise<LoadedDestination[]> {
  const folder = resolve(dir ?? DEFAULT_DESTINATIONS_DIR);
  let files: string[];
  try {
    files = (await readdir(folder)).filter(isDestinationModule).sort();
  } catch (error) {
    if (errorCodeOf(error) === "ENOENT" && dir === undefined) {
      logger.debug({ dir: folder }, "no destinations folder, no destinations");
      return [];
    }
    throw new StartupError(
      "destination_invalid",
      `cannot read the destinations folder ${folder} (DESTINATIONS_DIR): ${messageOf(error)}`,
    );
  }
  const loaded: LoadedDestination[] = [];
  for (const file of files) {
    const path = join(folder, file);
    const destination = checkDestination(await importDefinition(folder, path), path, environment);
    const twin = loaded.find((other) => other.name === destination.name);
    if (twin)
      throw new StartupError(
        "destination_invalid",
        `${path}: a second destination named "${destination.name}" (the first is ${twin.file})`,
      );
    loaded.push(destination);
    logState(logger, destination);
  }
  return loaded;
}

async function importDefinition(folder: string, path: string): Promise<unknown> {
  let exports: Record<string, unknown>;
  try {
    exports = await importOperatorModule(path, { folder, kind: "destinations" });
  } catch (error) {
    throw new StartupError("destination_invalid", `${path}: cannot load: ${messageOf(error)}`, { cause: error });
  }
  if (exports.default === undefined)
    throw new StartupError(
      "destination_invalid",
      `${path}: the default export must be a destination (export default defineDestination({ ... }))`,
    );
  return exports.default;
}

function logState(logger: Logger, destination: LoadedDestination): void {
  const fields = { destination: destination.name, file: destination.file, events: destination.events };
  if (destination.on) logger.info(fields, `destination "${destination.name}": on`);
  else
    logger.info(
      { ...fields, missing: destination.missing },
      `destination "${destination.name}": off (${destination.missing.join(", ")} not set)`,
    );
}

function isDestinationModule(file: string): boolean {
  return (
    LOADABLE.test(file) &&
    !/\.d\.m?ts$/.test(file) &&
    !/\.test\.[mc]?[jt]s$/.test(file) &&
    !file.startsWith("_") &&
    !file.startsWith(".")
  );
}
