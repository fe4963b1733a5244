import { readFile } from "node:fs/promises";
import { UsageError } from "./cli-io.js";
/** Reads a JSON file, or stdin for "-", and says which file was wrong when it is not JSON. */
export async function readJsonInput(path, io) {
    if (!path)
        throw new UsageError("which file? pass a path, or - for stdin");
    let text;
    try {
        text = path === "-" ? await io.readStdin() : await readFile(path, "utf8");
    }
    catch (error) {
        throw new UsageError(`cannot read ${path}: ${error.message}`);
    }
    try {
        return { text, value: JSON.parse(text) };
    }
    catch (error) {
        throw new UsageError(`${path === "-" ? "stdin" : path} is not JSON: ${error.message}`);
    }
}
