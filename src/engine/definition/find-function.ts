/**
 * How a person names a function: by its full id (`<app id>-<function id>`, as Inngest renders
 * it), or by the bare id it was defined with when no other function has the same one (FUNCTIONS,
 * `/api/runs?function=`, referenceFunction without appId, dashboard filters). Undefined when the
 * name matches nothing, or several functions by bare id.
 */
export function findFunction<F extends { id: string; localId?: string }>(
  functions: readonly F[],
  name: string,
): F | undefined {
  const exact = functions.find((fn) => fn.id === name);
  if (exact) return exact;
  const bare = functions.filter((fn) => fn.localId === name);
  return bare.length === 1 ? bare[0] : undefined;
}
