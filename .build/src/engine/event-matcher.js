import { compileExpression, testExpression } from "./expressions.js";
import { nameMatches } from "./match-triggers.js";
function compileEventMatcher(trigger, where) {
  const { event: pattern, if: condition } = trigger;
  if (condition !== void 0) compileExpression(condition, `${where}: if`);
  return (event) => nameMatches(pattern, event.name) && (condition === void 0 || testExpression(condition, { event }));
}
export {
  compileEventMatcher
};
