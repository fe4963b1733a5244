import { digest } from "../redis/keys.js";
function runIdFor(functionId, eventId) {
  return `r-${digest(`${functionId}
${eventId}`)}`;
}
export {
  runIdFor
};
