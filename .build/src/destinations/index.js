import { defineDestination } from "./define-destination.js";
import { clerkContact } from "./clerk-contact.js";
export {
  clerkContact,
  defineDestination
};
