import { formatStartupError, isBridgeError, isStartupError } from "../errors.js";
import { UsageError } from "./cli-io.js";
import { eraseUserCommand } from "./erase-user-command.js";
import { migrateCommand } from "./migrate-command.js";
import { readPackageVersion } from "./package-version.js";
import { pullCommand } from "./pull-command.js";
import { replayCommand } from "./replay-command.js";
import { runsCommand } from "./runs-command.js";
import { sendCommand } from "./send-command.js";
import { signCommand } from "./sign-command.js";
import { transformTestCommand } from "./transform-test-command.js";
import { COMMAND_USAGE, USAGE } from "./usage.js";
const COMMANDS = {
  // Imported on demand: start pulls in the whole service, backfill Clerk's client; the others stay quick.
  start: async (args, io) => (await import("./start-command.js")).startCommand(args, io),
  backfill: async (args, io) => (await import("./backfill-command.js")).createBackfillCommand()(args, io),
  send: sendCommand,
  sign: signCommand,
  replay: replayCommand,
  pull: pullCommand,
  runs: runsCommand,
  transform: transformTestCommand,
  migrate: migrateCommand,
  "erase-user": eraseUserCommand
};
const HELP_FLAGS = ["--help", "-h"];
function asksForHelp(args) {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((arg) => HELP_FLAGS.includes(arg));
}
async function runCli(argv, io) {
  const [name, ...args] = argv;
  if (!name) {
    io.stderr.write(USAGE);
    return 1;
  }
  if (name === "--version") {
    io.stdout.write(`${readPackageVersion()}
`);
    return 0;
  }
  if (name === "help" || HELP_FLAGS.includes(name)) return help(name === "help" ? args[0] : void 0, io);
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`bridge: unknown command "${name}"

${USAGE}`);
    return 1;
  }
  if (asksForHelp(args)) return help(name, io);
  try {
    return await command(args, io);
  } catch (error) {
    if (isStartupError(error)) {
      io.stderr.write(`${formatStartupError(error, `bridge ${name}`)}
`);
      return 2;
    }
    const badArguments = error.code?.startsWith("ERR_PARSE_ARGS_") === true;
    const known = badArguments || error instanceof UsageError || isBridgeError(error);
    const message = badArguments ? error.message.replaceAll("\n", " ") : error.message;
    io.stderr.write(`bridge ${name}: ${known ? message : error.stack}
`);
    return known ? 2 : 1;
  }
}
function help(topic, io) {
  if (topic === void 0) {
    io.stdout.write(USAGE);
    return 0;
  }
  const usage = COMMAND_USAGE[topic];
  if (!usage) {
    io.stderr.write(`bridge: unknown command "${topic}"

${USAGE}`);
    return 1;
  }
  io.stdout.write(usage);
  return 0;
}
export {
  COMMANDS,
  runCli
};
