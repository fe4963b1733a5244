function sentFromSameOrigin(req) {
  const site = req.headers["sec-fetch-site"];
  if (typeof site === "string") return site === "same-origin" || site === "none";
  const origin = req.headers.origin;
  if (origin === void 0) return void 0;
  try {
    const from = new URL(origin);
    return from.host === new URL(`${from.protocol}//${req.host}`).host;
  } catch {
    return false;
  }
}
export {
  sentFromSameOrigin
};
