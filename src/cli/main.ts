import { formatStartupError, isBridgeError, isStartupError } from "../errors.ts";
import { UsageError, type CliIo } from "./cli-io.ts";
import { replayCommand } from "./replay-command.ts";
import { runsCommand } from "./runs-command.ts";
import { sendCommand } from "./send-command.ts";
import { signCommand } from "./sign-command.ts";
import { transformTestCommand } from "./transform-test-command.ts";

export const USAGE = `bridge: Clerk Webhook Bridge from the command line

  bridge start [--role receiver|worker|all]      run the bridge (like npm start)
  bridge send <file|->                           send event(s) to the Event API
  bridge sign <file> [--source clerk]            print a curl command with valid Svix headers
  bridge replay <eventId> [--data <file>]        replay an event (with new data: edit and replay)
  bridge runs [--status failed] [--function id]  list runs (--limit n, --json)
  bridge transform test <source> <payload.json>  print the events a template produces

Environment: BRIDGE_URL (default http://localhost:8288), EVENT_KEY, ADMIN_TOKEN,
CLERK_WEBHOOK_SECRET (sign), TRANSFORMS_DIR (transform test), and every variable of npm start.
`;

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  // Imported on demand: start pulls in the whole service, the others stay quick.
  start: async (args, io) => (await import("./start-command.ts")).startCommand(args, io),
  send: sendCommand,
  sign: signCommand,
  replay: replayCommand,
  runs: runsCommand,
  transform: transformTestCommand,
};

/** Runs one command; answers the exit code. Errors the user can fix print one line, no stack. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    io.stdout.write(USAGE);
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`bridge: unknown command "${name}"\n\n${USAGE}`);
    return 1;
  }
  try {
    return await command(args, io);
  } catch (error) {
    // A failed start reads as `npm start` prints it: the code and the fix, one line.
    if (isStartupError(error)) {
      io.stderr.write(`${formatStartupError(error, `bridge ${name}`)}
`);
      return 2;
    }
    const known =
      error instanceof UsageError ||
      isBridgeError(error) ||
      (error as { code?: string }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION";
    io.stderr.write(`bridge ${name}: ${known ? (error as Error).message : (error as Error).stack}\n`);
    return known ? 2 : 1;
  }
}
