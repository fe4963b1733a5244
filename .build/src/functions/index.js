import { createDestinationsFunction } from "../destinations/destinations-function.js";
import { loadOperatorFunctions } from "./load-operator-functions.js";
import { createOnboardingEmail } from "./onboarding-email.js";
import { createUserSync } from "./user-sync.js";
import { ONBOARDING_EMAIL_ID, USER_SYNC_ID } from "./built-in-ids.js";
import { BUILT_IN_FUNCTIONS } from "./built-in-ids.js";
async function loadFunctions(deps) {
  const { config, clients } = deps;
  const logger = deps.logger.child({ component: "functions" });
  const functions = [];
  if (config.functions.includes(USER_SYNC_ID) && clients.database) functions.push(createUserSync({ pool: clients.database, metrics: deps.metrics, ...deps.erase ? { erase: deps.erase } : {} }));
  if (config.functions.includes(ONBOARDING_EMAIL_ID) && clients.mailer) {
    functions.push(createOnboardingEmail({ mailer: clients.mailer, delayMs: config.onboardingDelayMs, from: config.smtpFrom }));
  }
  const destinations = clients.destinations && createDestinationsFunction({ destinations: clients.destinations });
  if (destinations) functions.push(destinations);
  functions.push(...await loadOperatorFunctions(config.functionsDir, logger));
  return functions;
}
export {
  BUILT_IN_FUNCTIONS,
  loadFunctions
};
