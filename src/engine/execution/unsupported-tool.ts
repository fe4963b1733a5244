import { NonRetriableError } from "../definition/non-retriable-error.ts";

/** Properties read by `await`, JSON and inspection: answered undefined, so those do not throw. */
const QUIET = new Set(["then", "toJSON", "constructor", "prototype", "inspect", "asymmetricMatch", "$$typeof"]);

/** A tool that fails when called, with members that are such tools in turn. */
export type UnsupportedTool = ((...args: unknown[]) => never) & { readonly [member: string]: UnsupportedTool };

/**
 * An Inngest tool this bridge does not run (`step.ai.infer`, `step.realtime.publish`,
 * `group.experiment`, ...): any path below it, `step.ai.models.openai(...)` included, is a
 * function that fails the run at once, naming the tool. A silent `undefined` would surface as
 * "x is not a function", or worse, as a step that seemed to do nothing. `supported` lists the
 * members that do work (`step.ai.wrap`).
 */
export function unsupportedTool(path: string, supported: Record<string, unknown> = {}): UnsupportedTool {
  const fail = (): never => {
    throw new NonRetriableError(`${path} is not supported by this bridge (see the README's table of step tools)`);
  };
  return new Proxy(fail as UnsupportedTool, {
    get(_target, property) {
      if (typeof property === "symbol" || QUIET.has(property)) return undefined;
      return Object.hasOwn(supported, property) ? supported[property] : unsupportedTool(`${path}.${property}`);
    },
  });
}
