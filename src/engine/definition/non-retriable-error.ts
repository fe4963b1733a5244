/**
 * Thrown by a handler or a step: fail at once, no retry (a refused email, a missing user).
 * Classified by class (subclasses such as EventValidationError count) and by `name`, so an error
 * from another copy of the module (or from the Inngest SDK itself) counts too.
 */
export class NonRetriableError extends Error {
  override name = "NonRetriableError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isNonRetriableError(error: unknown): boolean {
  return error instanceof NonRetriableError || (error instanceof Error && error.name === "NonRetriableError");
}
