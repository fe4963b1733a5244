function redactUrl(url) {
  return url.replace(/^\/e\/[^/?#]*/i, "/e/[redacted]");
}
export {
  redactUrl
};
