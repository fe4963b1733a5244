import { basename, extname } from "node:path";
import { z } from "zod";
import { compileEventMatcher } from "../engine/index.js";
import { formatIssues } from "../events/event-schema.js";
import { StartupError } from "../errors.js";
import { DURATION_HINT, parseDurationMs } from "../util/durations.js";
const DEFAULT_DESTINATION_TIMEOUT_MS = 1e4;
const NAME = /^[a-z0-9][a-z0-9_-]*$/;
const VARIABLE = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "a variable name is upper-case letters, digits and _");
const definitionSchema = z.strictObject({
  name: z.string().optional(),
  env: z.array(VARIABLE),
  optionalEnv: z.array(VARIABLE).optional(),
  events: z.array(z.string().trim().min(1, "an event pattern must not be empty")).min(1, "needs at least one event pattern"),
  if: z.string().trim().min(1).optional(),
  signingSecret: VARIABLE.optional(),
  accept: z.array(z.number().int().min(100).max(599)).optional(),
  timeout: z.union([z.string(), z.number()]).optional(),
  request: z.custom((value) => typeof value === "function", "must be a function (event, env) => request or null")
});
const SOURCE_SECRET = /_WEBHOOK_SECRET$/;
const WHSEC = /^whsec_[A-Za-z0-9+/=]+$/;
function checkDestination(definition, file, environment) {
  const invalid = (message) => new StartupError("destination_invalid", `${file}: ${message}`);
  const parsed = definitionSchema.safeParse(definition);
  if (!parsed.success) throw invalid(formatIssues(parsed.error));
  const spec = { ...parsed.data, name: parsed.data.name ?? basename(file, extname(file)) };
  if (!NAME.test(spec.name)) throw invalid(`name: "${spec.name}" must be lower-case letters, digits, - and _ (it names the step; without a name, the file's name is used)`);
  const named = [...spec.env, ...spec.optionalEnv ?? []];
  const clash = named.find((variable) => SOURCE_SECRET.test(variable));
  if (clash) throw invalid(`env: ${clash} ends in _WEBHOOK_SECRET, which the bridge reads as the secret of a webhook source: name it otherwise`);
  if (spec.signingSecret !== void 0 && !spec.env.includes(spec.signingSecret)) throw invalid(`signingSecret: ${spec.signingSecret} must be one of env`);
  const timeoutMs = spec.timeout === void 0 ? DEFAULT_DESTINATION_TIMEOUT_MS : parseDurationMs(spec.timeout);
  if (timeoutMs === void 0 || timeoutMs <= 0) throw invalid(`timeout: ${JSON.stringify(spec.timeout)} is not ${DURATION_HINT}, above 0`);
  let matchers;
  try {
    matchers = spec.events.map((pattern) => compileEventMatcher({ event: pattern, ...spec.if === void 0 ? {} : { if: spec.if } }, `destination "${spec.name}"`));
  } catch (error) {
    throw invalid(error.message);
  }
  const missing = spec.env.filter((variable) => !environment[variable]);
  const env = Object.fromEntries(named.flatMap((variable) => environment[variable] ? [[variable, environment[variable]]] : []));
  const signingSecret = spec.signingSecret === void 0 ? void 0 : environment[spec.signingSecret];
  if (signingSecret !== void 0 && !WHSEC.test(signingSecret)) {
    throw new StartupError("config_invalid", `${spec.signingSecret} (the signing secret of destination "${spec.name}" in ${file}): must look like whsec_<base64>`);
  }
  return {
    name: spec.name,
    file,
    events: spec.events,
    ...spec.if === void 0 ? {} : { if: spec.if },
    missing,
    on: missing.length === 0,
    timeoutMs,
    accept: new Set(spec.accept ?? []),
    ...signingSecret === void 0 ? {} : { signingSecret },
    matches: (event) => matchers.some((matches) => matches(event)),
    request: async (event) => await spec.request(event, env) ?? null
  };
}
export {
  DEFAULT_DESTINATION_TIMEOUT_MS,
  checkDestination
};
