import type { z } from "zod";
import { BUILT_IN_FUNCTIONS, USER_SYNC_ID } from "./built-in-ids.ts";
import type { EnvFields } from "./schema.ts";

/** The rules across variables, each reported on the variable to change. */
export function checkRules(env: EnvFields, ctx: z.RefinementCtx): void {
  // The keys themselves are secrets: the message counts them, it never prints one.
  const outside = env.TRUSTED_EVENT_KEYS.filter((key) => !env.EVENT_KEYS.includes(key));
  if (outside.length > 0) {
    ctx.addIssue({
      code: "custom",
      path: ["TRUSTED_EVENT_KEYS"],
      message: `every key must also be listed in EVENT_KEYS (${outside.length} is not)`,
    });
  }
  // Node refuses a headers timeout longer than the request's (the headers are part of the request).
  if (env.HTTP_HEADERS_TIMEOUT > env.HTTP_REQUEST_TIMEOUT) {
    ctx.addIssue({
      code: "custom",
      path: ["HTTP_HEADERS_TIMEOUT"],
      message: "must not be longer than HTTP_REQUEST_TIMEOUT",
    });
  }
  if (env.HTTP_HEADERS_TIMEOUT < 1000)
    ctx.addIssue({ code: "custom", path: ["HTTP_HEADERS_TIMEOUT"], message: "must be at least 1s" });
  // Erasing on delete happens in user-sync's run: without user-sync it would never happen.
  const functions = env.FUNCTIONS.length > 0 ? env.FUNCTIONS : BUILT_IN_FUNCTIONS;
  if (env.ERASE_ON_DELETE && !functions.includes(USER_SYNC_ID)) {
    ctx.addIssue({
      code: "custom",
      path: ["ERASE_ON_DELETE"],
      message: `needs user-sync, which erases after it handles clerk/user.deleted; FUNCTIONS leaves it out`,
    });
  }
}
