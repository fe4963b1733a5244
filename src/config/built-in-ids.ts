/** The built-in functions, by the names FUNCTIONS takes (their ids within the app). */
export const USER_SYNC_ID = "user-sync";
export const ONBOARDING_EMAIL_ID = "onboarding-email";
/** Sends each event to the destinations in DESTINATIONS_DIR whose variables are set. */
export const DESTINATIONS_ID = "destinations";
export const BUILT_IN_FUNCTIONS = [USER_SYNC_ID, ONBOARDING_EMAIL_ID, DESTINATIONS_ID] as const;

/** The built-ins' app: their ids are `bridge-user-sync` and `bridge-onboarding-email`, as Inngest composes them. */
export const BRIDGE_APP_ID = "bridge";
