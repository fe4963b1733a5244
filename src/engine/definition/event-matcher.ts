import { compileExpression, testExpression } from "./expressions.ts";
import { nameMatches } from "./match-triggers.ts";
import type { EventTrigger } from "./types.ts";

/**
 * An event trigger as a predicate, matched exactly as the router matches a function's trigger
 * (exact name or `*` wildcard, then the CEL `if` over `event`), for code that picks among several
 * targets inside one function (the destinations). The `if` is compiled here, so an invalid one
 * throws an ExpressionError naming `where` at start rather than matching nothing later.
 */
export function compileEventMatcher(trigger: EventTrigger, where: string): (event: { name: string }) => boolean {
  const { event: pattern, if: condition } = trigger;
  if (condition !== undefined) compileExpression(condition, `${where}: if`);
  return (event) =>
    nameMatches(pattern, event.name) && (condition === undefined || testExpression(condition, { event }));
}
