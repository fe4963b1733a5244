function judgeAnswer(status, retryAfter, accept) {
  if (status >= 200 && status < 300 || accept.has(status)) return { kind: "delivered" };
  if (status === 429 || status === 503) {
    const after = parseRetryAfter(retryAfter);
    if (after !== void 0) return { kind: "retry-after", after };
  }
  if (status >= 300 && status < 400 || status >= 400 && status < 500 && status !== 408 && status !== 429) return { kind: "refused" };
  return { kind: "retry" };
}
function parseRetryAfter(value) {
  const text = value?.trim();
  if (!text) return void 0;
  if (/^\d+$/.test(text)) return Number(text) * 1e3;
  if (!/^[A-Za-z]{3}/.test(text)) return void 0;
  const at = Date.parse(text);
  return Number.isNaN(at) ? void 0 : new Date(at);
}
export {
  judgeAnswer,
  parseRetryAfter
};
