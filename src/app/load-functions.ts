import type { Config } from "../config/load-config.ts";
import type { BridgeFunction } from "../client/index.ts";
import type { Logger } from "../logger.ts";
import type { BridgeMetrics } from "../metrics/create-metrics.ts";
import type { FunctionClients } from "./function-clients.ts";
import { createDestinationsFunction } from "../destinations/destinations-function.ts";
import { loadOperatorFunctions } from "../functions/load-operator-functions.ts";
import { createOnboardingEmail } from "../functions/onboarding-email.ts";
import { createUserSync, type UserSyncDeps } from "../functions/user-sync.ts";
import { ONBOARDING_EMAIL_ID, USER_SYNC_ID } from "../config/built-in-ids.ts";
import type { Tombstones } from "../events/tombstones.ts";
import { createUserGoneCheck } from "../functions/user-gone.ts";

/**
 * The explicit registry: the built-in functions switched on by FUNCTIONS (`none` for none), made
 * with the clients the composition root built for them, plus the operator's own from
 * FUNCTIONS_DIR. Builds no client itself.
 */
export async function loadFunctions(deps: {
  config: Config;
  logger: Logger;
  clients: FunctionClients;
  metrics?: BridgeMetrics;
  /** Erasure, for ERASE_ON_DELETE. */
  erase?: UserSyncDeps["erase"];
  /** Erased users, looked for before each built-in send (with the mirror's deleted_at). */
  tombstones?: Pick<Tombstones, "anyErased">;
}): Promise<BridgeFunction[]> {
  const { config, clients } = deps;
  const logger = deps.logger.child({ component: "functions" });
  const functions: BridgeFunction[] = [];
  const userGone = createUserGoneCheck({
    ...(deps.tombstones ? { tombstones: deps.tombstones } : {}),
    ...(clients.database ? { database: clients.database } : {}),
  });
  if (config.functions.includes(USER_SYNC_ID) && clients.database)
    functions.push(
      createUserSync({ pool: clients.database, metrics: deps.metrics, ...(deps.erase ? { erase: deps.erase } : {}) }),
    );
  if (config.functions.includes(ONBOARDING_EMAIL_ID) && clients.mailer) {
    functions.push(
      createOnboardingEmail({
        mailer: clients.mailer,
        delayMs: config.onboardingDelayMs,
        from: config.smtpFrom,
        userGone,
      }),
    );
  }
  const destinations =
    clients.destinations &&
    createDestinationsFunction({ destinations: clients.destinations, userGone, fetch: clients.outbound });
  if (destinations) functions.push(destinations);
  functions.push(...(await loadOperatorFunctions(config.functionsDir, logger)));
  return functions;
}
