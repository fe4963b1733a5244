import { formatStartupError, isBridgeError, isStartupError } from "../errors.ts";
import { UsageError, type CliIo } from "./cli-io.ts";
import { eraseUserCommand } from "./erase-user-command.ts";
import { migrateCommand } from "./migrate-command.ts";
import { readPackageVersion } from "./package-version.ts";
import { rekeyCommand } from "./rekey-command.ts";
import { pullCommand } from "./pull-command.ts";
import { replayCommand } from "./replay-command.ts";
import { runsCommand } from "./runs-command.ts";
import { sendCommand } from "./send-command.ts";
import { signCommand } from "./sign-command.ts";
import { transformTestCommand } from "./transform-test-command.ts";
import { triggerCommand } from "./trigger-command.ts";
import { COMMAND_USAGE, USAGE } from "./usage.ts";

type Command = (args: string[], io: CliIo) => Promise<number>;

export const COMMANDS: Readonly<Record<string, Command>> = {
  // Imported on demand: start pulls in the whole service, backfill Clerk's client; the others stay quick.
  start: async (args, io) => (await import("./start-command.ts")).startCommand(args, io),
  backfill: async (args, io) => (await import("./backfill-command.ts")).createBackfillCommand()(args, io),
  send: sendCommand,
  sign: signCommand,
  trigger: triggerCommand,
  replay: replayCommand,
  pull: pullCommand,
  runs: runsCommand,
  transform: transformTestCommand,
  migrate: migrateCommand,
  "erase-user": eraseUserCommand,
  rekey: rekeyCommand,
};

const HELP_FLAGS = ["--help", "-h"];

/** `--help` anywhere before a `--` asks for help, as parseArgs would read it. */
function asksForHelp(args: string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((arg) => HELP_FLAGS.includes(arg));
}

/** Runs one command; answers the exit code. Errors the user can fix print one line, no stack. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name) {
    io.stderr.write(USAGE);
    return 1;
  }
  if (name === "--version") {
    io.stdout.write(`${readPackageVersion()}\n`);
    return 0;
  }
  // `bridge help [command]` and `bridge --help` read the same.
  if (name === "help" || HELP_FLAGS.includes(name)) return help(name === "help" ? args[0] : undefined, io);
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`bridge: unknown command "${name}"\n\n${USAGE}`);
    return 1;
  }
  if (asksForHelp(args)) return help(name, io);
  try {
    return await command(args, io);
  } catch (error) {
    // A failed start reads as `npm start` prints it, and ends as it does: the code and the fix,
    // one line, exit code 1 (2 is for a mistake in the command itself).
    if (isStartupError(error)) {
      io.stderr.write(`${formatStartupError(error, `bridge ${name}`)}\n`);
      return 1;
    }
    const badArguments = (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS_") === true;
    const known = badArguments || error instanceof UsageError || isBridgeError(error);
    // parseArgs explains a bad argument over several lines; one is enough.
    const message = badArguments ? (error as Error).message.replaceAll("\n", " ") : (error as Error).message;
    io.stderr.write(`bridge ${name}: ${known ? message : (error as Error).stack}\n`);
    return known ? 2 : 1;
  }
}

function help(topic: string | undefined, io: CliIo): number {
  if (topic === undefined) {
    io.stdout.write(USAGE);
    return 0;
  }
  const usage = COMMAND_USAGE[topic];
  if (!usage) {
    io.stderr.write(`bridge: unknown command "${topic}"\n\n${USAGE}`);
    return 1;
  }
  io.stdout.write(usage);
  return 0;
}
