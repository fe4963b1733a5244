import { basename, extname } from "node:path";
import { z } from "zod";
import { compileEventMatcher, type FunctionEvent } from "../client/index.ts";
import { formatIssues } from "../events/event-schema.ts";
import { StartupError } from "../errors.ts";
import { DURATION_HINT, parseDurationMs } from "../util/durations.ts";
import { parseWebhookSecrets } from "../webhooks/webhook-secrets.ts";
import type { Destination, DestinationRequest } from "./define-destination.ts";
import { messageOf } from "../util/thrown.ts";

/** A destination as the bridge holds it after start: checked, its variables read, its `if` compiled. */
export interface LoadedDestination {
  name: string;
  file: string;
  events: readonly string[];
  if?: string;
  /** Required variables that are unset: the destination is off while any is. */
  missing: readonly string[];
  on: boolean;
  timeoutMs: number;
  /** Statuses besides 2xx that count as delivered. */
  accept: ReadonlySet<number>;
  /** The `whsec_` secret to sign with, when the destination signs. */
  signingSecret?: string;
  /** The event's name matches a pattern and the `if` holds. */
  matches(event: FunctionEvent): boolean;
  request(event: FunctionEvent): Promise<DestinationRequest | null>;
}

export const DEFAULT_DESTINATION_TIMEOUT_MS = 10_000;

const NAME = /^[a-z0-9][a-z0-9_-]*$/;
const VARIABLE = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "a variable name is upper-case letters, digits and _");
const definitionSchema = z.strictObject({
  name: z.string().optional(),
  env: z.array(VARIABLE),
  optionalEnv: z.array(VARIABLE).optional(),
  events: z
    .array(z.string().trim().min(1, "an event pattern must not be empty"))
    .min(1, "needs at least one event pattern"),
  if: z.string().trim().min(1).optional(),
  signingSecret: VARIABLE.optional(),
  accept: z.array(z.number().int().min(100).max(599)).optional(),
  timeout: z.union([z.string(), z.number()]).optional(),
  request: z.custom<Destination["request"]>(
    (value) => typeof value === "function",
    "must be a function (event, env) => request or null",
  ),
});

/** `<SOURCE>_WEBHOOK_SECRET` is how config/load-config.ts finds the secret of a webhook source. */
const SOURCE_SECRET = /_WEBHOOK_SECRET$/;

/**
 * Checks one module's default export against the destination contract and reads its variables
 * from `environment`. A definition that cannot work stops the start naming the file and the field
 * (`destination_invalid`); a signing secret that is set but malformed is a `config_invalid`.
 */
export function checkDestination(
  definition: unknown,
  file: string,
  environment: Readonly<Record<string, string>>,
): LoadedDestination {
  const invalid = (message: string) => new StartupError("destination_invalid", `${file}: ${message}`);
  const parsed = definitionSchema.safeParse(definition);
  if (!parsed.success) throw invalid(formatIssues(parsed.error));
  const spec = { ...parsed.data, name: parsed.data.name ?? basename(file, extname(file)) };
  if (!NAME.test(spec.name))
    throw invalid(
      `name: "${spec.name}" must be lower-case letters, digits, - and _ (it names the step; without a name, the file's name is used)`,
    );
  const named = [...spec.env, ...(spec.optionalEnv ?? [])];
  const clash = named.find((variable) => SOURCE_SECRET.test(variable));
  if (clash)
    throw invalid(
      `env: ${clash} ends in _WEBHOOK_SECRET, which the bridge reads as the secret of a webhook source: name it otherwise`,
    );
  if (spec.signingSecret !== undefined && !spec.env.includes(spec.signingSecret))
    throw invalid(`signingSecret: ${spec.signingSecret} must be one of env`);
  const timeoutMs = spec.timeout === undefined ? DEFAULT_DESTINATION_TIMEOUT_MS : parseDurationMs(spec.timeout);
  if (timeoutMs === undefined || timeoutMs <= 0)
    throw invalid(`timeout: ${JSON.stringify(spec.timeout)} is not ${DURATION_HINT}, above 0`);
  let matchers: Array<(event: FunctionEvent) => boolean>;
  try {
    matchers = spec.events.map((pattern) =>
      compileEventMatcher(
        { event: pattern, ...(spec.if === undefined ? {} : { if: spec.if }) },
        `destination "${spec.name}"`,
      ),
    );
  } catch (error) {
    throw invalid(messageOf(error));
  }

  const missing = spec.env.filter((variable) => !environment[variable]);
  const env = Object.fromEntries(
    named.flatMap((variable) => (environment[variable] ? [[variable, environment[variable]]] : [])),
  );
  const signingSecret = spec.signingSecret === undefined ? undefined : environment[spec.signingSecret];
  // One secret, checked as the webhook sources' are: decoded now, not at the first delivery.
  const secretCheck = signingSecret === undefined ? undefined : parseWebhookSecrets(signingSecret);
  if (secretCheck && (secretCheck.problems.length > 0 || secretCheck.secrets.length !== 1)) {
    const problem = secretCheck.problems[0] ?? "must be one whsec_<base64> secret";
    throw new StartupError(
      "config_invalid",
      `${spec.signingSecret} (the signing secret of destination "${spec.name}" in ${file}): ${problem}`,
    );
  }
  return {
    name: spec.name,
    file,
    events: spec.events,
    ...(spec.if === undefined ? {} : { if: spec.if }),
    missing,
    on: missing.length === 0,
    timeoutMs,
    accept: new Set(spec.accept ?? []),
    ...(signingSecret === undefined ? {} : { signingSecret }),
    matches: (event) => matchers.some((matches) => matches(event)),
    request: async (event) => (await spec.request(event, env)) ?? null,
  };
}
