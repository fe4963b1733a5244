class NonRetriableError extends Error {
  name = "NonRetriableError";
  constructor(message, options) {
    super(message, options);
  }
}
function isNonRetriableError(error) {
  return error instanceof NonRetriableError || error instanceof Error && error.name === "NonRetriableError";
}
export {
  NonRetriableError,
  isNonRetriableError
};
