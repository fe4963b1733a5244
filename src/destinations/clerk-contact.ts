import { primaryEmail, userId, type ClerkUserData } from "../functions/clerk-user.ts";

/** What the shipped destinations tell other systems about a Clerk user. */
export interface ClerkContact {
  id: string | null;
  /** The primary address; null for a user signed up by phone or OAuth without one. */
  email: string | null;
  /** First and last name joined; null when Clerk has neither. */
  name: string | null;
}

/** A Clerk user payload (`event.data` of `clerk/user.*`) as a contact, read the way user-sync reads it. */
export function clerkContact(data: unknown): ClerkContact {
  const user = (typeof data === "object" && data !== null ? data : {}) as ClerkUserData;
  const parts = [user.first_name, user.last_name].filter(
    (part): part is string => typeof part === "string" && part.trim() !== "",
  );
  return { id: userId(user), email: primaryEmail(user), name: parts.length > 0 ? parts.join(" ") : null };
}
