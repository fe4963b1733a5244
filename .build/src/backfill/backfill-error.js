class BackfillError extends Error {
  name = "BackfillError";
}
function isBackfillError(error) {
  return error instanceof Error && error.name === "BackfillError";
}
export {
  BackfillError,
  isBackfillError
};
