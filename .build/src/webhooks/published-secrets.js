const PUBLISHED_SECRETS = /* @__PURE__ */ new Set([
  "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
  "whsec_plJ3nmyCDGBKInavdOK15jsl"
]);
function variablesWithPublishedSecrets(webhookSecrets) {
  return Object.entries(webhookSecrets).filter(([, secrets]) => secrets.some((secret) => PUBLISHED_SECRETS.has(secret))).map(([source]) => `${source.toUpperCase()}_WEBHOOK_SECRET`);
}
export {
  variablesWithPublishedSecrets
};
