/** The built-in functions, by the names FUNCTIONS takes. */
export const USER_SYNC_ID = "user-sync";
export const ONBOARDING_EMAIL_ID = "onboarding-email";
export const BUILT_IN_FUNCTIONS = [USER_SYNC_ID, ONBOARDING_EMAIL_ID] as const;
