import { primaryEmail, userId } from "../functions/clerk-user.js";
function clerkContact(data) {
  const user = typeof data === "object" && data !== null ? data : {};
  const parts = [user.first_name, user.last_name].filter((part) => typeof part === "string" && part.trim() !== "");
  return { id: userId(user), email: primaryEmail(user), name: parts.length > 0 ? parts.join(" ") : null };
}
export {
  clerkContact
};
