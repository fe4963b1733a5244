/**
 * What `npm test` must do before the tests can run, decided from what the machine has
 * (probe-machine.ts finds it out; this file only decides, so it is unit-tested as a table).
 *
 * The tests need Redis, PostgreSQL, the redis-server binary (the outage tests start their own),
 * PostgreSQL's server binaries (the set-up's own tests start a private server) and Chromium (the
 * dashboard tests drive it). A service at the default address that does not
 * answer is started privately for the run; a missing program is installed from apt when the
 * command runs as root; otherwise the command stops before running anything, in one line that
 * names what is missing and the command that installs it. Browser tests are never skipped.
 */
import { redactUrl } from "../../src/redis/connect-redis.ts";

/** How a service answered at the address the tests will use. */
export type ServiceState = { state: "ready" } | { state: "nothing-listens" } | { state: "refuses"; why: string };

export interface MachineFacts {
  /** TEST_REDIS_URL or its default; `configured` when the variable is set. */
  redis: { url: string; configured: boolean; port: number } & ServiceState;
  postgres: { url: string; configured: boolean } & ServiceState;
  /** redis-server on PATH. */
  redisServer?: string;
  /** A folder holding initdb and postgres (PATH, or Debian's /usr/lib/postgresql/<version>/bin). */
  postgresBin?: string;
  /** CHROMIUM_PATH when set, and whether it is an executable file. */
  chromiumPath?: { path: string; executable: boolean };
  /** chromium or chromium-browser on PATH. */
  chromiumOnPath?: string;
  root: boolean;
  aptGet: boolean;
  /** Ubuntu names its Chromium package chromium-browser, Debian chromium. */
  ubuntu: boolean;
}

export type SetupStep =
  | { kind: "apt-install"; packages: string[] }
  | { kind: "start-redis"; port: number; why: string }
  | { kind: "start-postgres"; why: string };

export type SetupPlan = { kind: "run"; steps: SetupStep[] } | { kind: "refuse"; line: string };

/** Something the tests need and the machine lacks: installable from apt, or fixed by hand. */
type Lack = { what: string; aptPackage: string } | { what: string; fix: string };

export function planTestSetup(facts: MachineFacts): SetupPlan {
  const lacks: Lack[] = [];
  const starts: SetupStep[] = [];
  const postgresWhy = describeState(facts.postgres);
  // Said in a line on the terminal (and CI's log): a password in either URL is not.
  const redisUrl = redactUrl(facts.redis.url);
  const postgresUrl = redactUrl(facts.postgres.url);

  if (!facts.redisServer)
    lacks.push({ what: "redis-server (the outage tests start their own)", aptPackage: "redis-server" });
  if (facts.redis.state === "nothing-listens" && !facts.redis.configured) {
    starts.push({ kind: "start-redis", port: facts.redis.port, why: `nothing answers at ${redisUrl}` });
  } else if (facts.redis.state !== "ready") {
    const fix = facts.redis.configured
      ? "start that Redis, or unset TEST_REDIS_URL"
      : "stop what listens there, or set TEST_REDIS_URL";
    lacks.push({ what: `Redis at ${redisUrl} (${describeState(facts.redis)})`, fix });
  }

  if (facts.postgres.state !== "ready" && facts.postgres.configured) {
    lacks.push({
      what: `PostgreSQL at TEST_DATABASE_URL (${postgresUrl}: ${postgresWhy})`,
      fix: "start it, or unset TEST_DATABASE_URL",
    });
  } else if (facts.postgres.state !== "ready") {
    starts.push({ kind: "start-postgres", why: `${postgresUrl}: ${postgresWhy}` });
  }
  if (!facts.postgresBin)
    lacks.push({
      what: "PostgreSQL's initdb and postgres (a private server is started from them)",
      aptPackage: "postgresql",
    });

  if (facts.chromiumPath && !facts.chromiumPath.executable) {
    lacks.push({
      what: `Chromium at CHROMIUM_PATH (${facts.chromiumPath.path} is not an executable file)`,
      fix: "point CHROMIUM_PATH at Chromium, or unset it",
    });
  } else if (!facts.chromiumPath && !facts.chromiumOnPath) {
    lacks.push({
      what: "Chromium (neither chromium nor chromium-browser is on PATH)",
      aptPackage: facts.ubuntu ? "chromium-browser" : "chromium",
    });
  }

  if (lacks.length === 0) return { kind: "run", steps: starts };
  const packages = lacks.flatMap((lack) => ("aptPackage" in lack ? [lack.aptPackage] : []));
  if (packages.length === lacks.length && facts.root && facts.aptGet)
    return { kind: "run", steps: [{ kind: "apt-install", packages }, ...starts] };
  return { kind: "refuse", line: refusal(lacks, packages, facts.root) };
}

function describeState(service: ServiceState): string {
  if (service.state === "nothing-listens") return "nothing listens there";
  if (service.state === "refuses") return service.why;
  return "ready";
}

/** One line: everything missing, then the one apt-get command, then what only a person can fix. */
function refusal(lacks: Lack[], packages: string[], root: boolean): string {
  const fixes = lacks.flatMap((lack) => ("fix" in lack ? [lack.fix] : []));
  const install =
    packages.length > 0 ? [`install with: ${root ? "" : "sudo "}apt-get install -y ${packages.join(" ")}`] : [];
  return `npm test: cannot run the tests: missing ${lacks.map((lack) => lack.what).join(", ")}; ${[...install, ...fixes].join("; ")}`;
}
