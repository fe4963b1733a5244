import { primaryEmail, userId } from "../functions/clerk-user.js";
/** A Clerk user payload (`event.data` of `clerk/user.*`) as a contact, read the way user-sync reads it. */
export function clerkContact(data) {
    const user = (typeof data === "object" && data !== null ? data : {});
    const parts = [user.first_name, user.last_name].filter((part) => typeof part === "string" && part.trim() !== "");
    return { id: userId(user), email: primaryEmail(user), name: parts.length > 0 ? parts.join(" ") : null };
}
