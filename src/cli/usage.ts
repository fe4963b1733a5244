import { BACKFILL_RESOURCES, PAGE_SIZE } from "../backfill/backfill-resources.ts";
import { ROLES } from "../config.ts";
import { MAX_PAGE_SIZE } from "../dashboard/query-params.ts";
import { RUN_STATUSES } from "../engine/store/run-state.ts";
import { listSampleTypes } from "./clerk-samples.ts";

/** What `bridge`, `bridge --help` and `bridge help` print. */
export const USAGE = `bridge: Clerk Webhook Bridge from the command line

  bridge start [--role receiver|worker|all]      run the bridge (like npm start)
  bridge send <file|->                           send event(s) to the Event API
  bridge trigger <type> [--data ...]             send a signed sample Clerk webhook (user.created, ...)
  bridge sign <file|-> [--source clerk]          print a curl command with valid Svix headers
  bridge replay <eventId> [--data <file|->]      replay an event (with new data: edit and replay)
  bridge pull <eventId> --from <url>             copy an event from another bridge into this one
  bridge runs [--status failed] [--function id]  list runs (--limit n, --json)
  bridge transform test <source> <payload.json>  print the events a template produces
  bridge migrate                                 apply the users-table migrations at DATABASE_URL
  bridge backfill users [--dry-run] [--direct]   send the users Clerk already has (also organizations)
  bridge erase-user <userId> [--json]            erase what the bridge holds about a Clerk user
  bridge rekey [--batch n]                       re-seal what an older ENCRYPTION_KEY sealed with the first

  bridge <command> --help                        what a command does, its options and variables
  bridge --version                               the bridge's version

Environment: BRIDGE_URL (default http://localhost:8288), EVENT_KEY, ADMIN_TOKEN,
CLERK_WEBHOOK_SECRET or DATA_DIR's local secret (trigger, sign), TRANSFORMS_DIR (transform test),
DATABASE_URL (migrate), CLERK_SECRET_KEY and CLERK_API_URL (backfill), ENCRYPTION_KEY and REDIS_URL
(rekey), and every variable of npm start.
`;

const BRIDGE_URL = "  BRIDGE_URL     the running bridge (default http://localhost:8288)";
const ADMIN_TOKEN = "  ADMIN_TOKEN    the bridge's ADMIN_TOKEN, sent as a Bearer token to /api";
const SIGNING_SECRET = `  CLERK_WEBHOOK_SECRET  the whsec_... secret the bridge verifies with (<SOURCE>_WEBHOOK_SECRET for
                        another source); unset, the local secret a development bridge made in
                        DATA_DIR (default data) at its first start`;

/** Items joined by ", " in lines of at most 100 characters, the later lines indented. */
function wrapList(items: string[], indent: string): string {
  const lines = [""];
  for (const item of items) {
    const line = lines[lines.length - 1]!;
    if (line && indent.length + line.length + item.length + 2 > 100) lines.push(item);
    else lines[lines.length - 1] = line ? `${line}, ${item}` : item;
  }
  return lines.join(`,\n${indent}`);
}

/** What `bridge <command> --help` prints, one entry per command. */
export const COMMAND_USAGE: Readonly<Record<string, string>> = {
  start: `usage: bridge start [--role ${ROLES.join("|")}]

Runs the bridge, as npm start does: the receiver (webhooks, Event API, dashboard, /api) and the
workers in one process, or one role only. SIGTERM or SIGINT drains the running steps and stops.

Options:
  --role <role>  ${ROLES.join(", ")} (default: ROLE, else all)

Environment: every variable of npm start (PORT, REDIS_URL, CLERK_WEBHOOK_SECRET, ...; see the README).
`,
  send: `usage: bridge send <file|->

Sends one event or an array of events ({ name, data, id?, user?, ts? }) to the Event API of a
running bridge (POST /e/<EVENT_KEY>) and prints the accepted ids, one a line. - reads stdin.

Environment:
${BRIDGE_URL}
  EVENT_KEY      an Event API key (any key works while the bridge has no EVENT_KEYS)
`,
  sign: `usage: bridge sign <file|-> [--source <source>]

Prints a curl command that delivers the JSON payload to /webhooks/<source> with valid Svix
headers, signed as Svix signs. Pipe it to sh to deliver it; it is valid for 5 minutes, and
curl exits non-zero, printing the bridge's answer, when the bridge refuses the delivery.

Options:
  --source <source>  the webhook source (default clerk)

Environment:
${BRIDGE_URL}
${SIGNING_SECRET}
`,
  // A getter: the types are read from samples/clerk only when this help is asked for.
  get trigger() {
    return `usage: bridge trigger <type> [--data <change>]...

Sends Clerk's sample of an event type to the running bridge's /webhooks/clerk, signed as Svix
delivers it, and prints the bridge's answer, the event id and the event's dashboard page. Every
Clerk id in the sample is new and every date is now, so each trigger is a new delivery (a new
user for user.created), never a redelivery of the last one. Exits 2 when the bridge refuses it.

Types: ${wrapList(listSampleTypes(), "       ")}

Options:
  --data <change>  change the sample's data before it is signed; repeat for several:
                     path=value     a dot path under data; the value is JSON when it parses
                                    (42, true, null, "123"), text otherwise
                     '{"k": ...}'   a JSON object merged into data
                   e.g. --data first_name=Ada --data email_addresses.0.email_address=ada@example.com
                        --data id=user_2x... (user.deleted for a user triggered before)
                        --data '{"public_metadata": {"plan": "pro"}}'

Environment:
${BRIDGE_URL}
${SIGNING_SECRET}
`;
  },
  replay: `usage: bridge replay <eventId> [--data <file|->]

Replays an event as a new one (a new id, with replayOf naming the original) so that every
matching function runs again, and prints the new id. With --data, the new event carries that
data instead (edit and replay).

Environment:
${BRIDGE_URL}
${ADMIN_TOKEN}
`,
  "erase-user": `usage: bridge erase-user <userId> [--json]

Erases what the running bridge holds about a Clerk user (DELETE /api/users/:id): the events whose
data or user names them, those events' runs (a run still going is cancelled first) with their
step outputs and waiters, development outbox emails to their addresses, and their users row, of
which only the id and deleted_at stay (so a late webhook cannot bring the user back). A tombstone
(a digest of the id, kept TOMBSTONE_TTL) then refuses every event naming them, a late Svix
redelivery included. Prints what was erased; --json prints it as JSON. Safe to repeat. The
bridge writes an audit line.

Environment:
${BRIDGE_URL}
${ADMIN_TOKEN}
`,
  rekey: `usage: bridge rekey [--batch n]

Re-seals with the first key of ENCRYPTION_KEY everything in the bridge's Redis still sealed with
an older one (event bodies, run and step records, waiters' copies, kept webhook payloads), so the
older key can be dropped. Works on Redis directly, while the bridge runs (a value the bridge
rewrote meanwhile is left to it). Prints progress; an interrupted run resumes where it stopped.
Exits 1 while anything is left under an older key.

Options:
  --batch <n>  keys per step and per progress line (default 500)

Environment:
  ENCRYPTION_KEY  the new key first, then the older ones (ENCRYPTION_KEY=new,old)
  REDIS_URL, REDIS_PREFIX  the bridge's Redis, as npm start reads them
`,
  pull: `usage: bridge pull <eventId> --from <url>

Reads an event from another bridge (production, say) through its operator API and sends it,
with the same id, to the Event API of the bridge at BRIDGE_URL, so that a real event runs
through your functions locally. Prints the id. Pulling the same event twice stores it once.
A clerk/* event is accepted from this machine by a bridge without EVENT_KEYS (development
mode); otherwise EVENT_KEY must be in its TRUSTED_EVENT_KEYS.

Options:
  --from <url>       the bridge to read from, e.g. https://bridge.example.com

Environment:
  PROD_ADMIN_TOKEN   the other bridge's ADMIN_TOKEN (else ADMIN_TOKEN is sent to it)
${BRIDGE_URL}
  EVENT_KEY      an Event API key of the local bridge (any key works while it has no EVENT_KEYS)
`,
  runs: `usage: bridge runs [--status <status>] [--function <id>] [--limit <n>] [--json]

Lists the newest runs of a running bridge as a table.

Options:
  --status <status>  ${RUN_STATUSES.join(", ")}
  --function <id>    only this function's runs
  --limit <n>        how many, 1 to ${MAX_PAGE_SIZE} (default 20)
  --json             print JSON instead of a table

Environment:
${BRIDGE_URL}
${ADMIN_TOKEN}
`,
  transform: `usage: bridge transform test <source> <payload.json|->

Runs the template the bridge runs for /webhooks/<source> on a payload and prints the events it
makes. Nothing is sent or stored, and no bridge needs to be running.

Environment:
  TRANSFORMS_DIR  where the templates are (default transforms)
`,
  migrate: `usage: bridge migrate

Applies the users-table migrations (user-sync) to the PostgreSQL database at DATABASE_URL, then
exits; a database already up to date is left as it is. The bridge runs the same migrations at
start: this is for deploys that migrate before rolling out. npm run migrate runs this command.

Environment:
  DATABASE_URL   the PostgreSQL database (required)
  LOG_LEVEL      pino level of the log lines written to stderr (default info)
`,
  backfill: `usage: bridge backfill <${Object.keys(BACKFILL_RESOURCES).join("|")}> [options]

Pages through Clerk's Backend API, oldest first, and sends each record through the bridge's intake
as clerk/<type>.backfilled (clerk/user.backfilled for users), data shaped like its webhooks'.
user-sync writes backfilled users under its ordering guard; onboarding-email ignores them. Each
event's id comes from the record's id and updated_at, so running it again sends nothing new. The
cursor is saved after each page the bridge acknowledged: an interrupted run resumes where it
stopped. Progress goes to stderr, the summary to stdout.

Options:
  --dry-run               read and count only; send nothing, leave the state file alone
  --direct                write into Redis at REDIS_URL through the bridge's own intake,
                          instead of POSTing to the Event API at BRIDGE_URL
  --restart               ignore the saved cursor and start from the first record
  --state <file>          the cursor file (default DATA_DIR/backfill-<resource>.json)
  --limit-per-page <n>    records per Backend API request, ${PAGE_SIZE.min} to ${PAGE_SIZE.max} (default ${PAGE_SIZE.default})

Environment:
  CLERK_SECRET_KEY  the instance's secret key, sk_live_... or sk_test_... (required)
  CLERK_API_URL     the Backend API (default https://api.clerk.com)
${BRIDGE_URL}
  EVENT_KEY      an Event API key listed in the bridge's TRUSTED_EVENT_KEYS (clerk/* names are reserved)
  REDIS_URL, REDIS_PREFIX, DEDUPE_WINDOW, RETENTION  with --direct: the bridge's own values
  DATA_DIR       where the state file goes (default data)
`,
};
