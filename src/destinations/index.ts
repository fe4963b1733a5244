/**
 * What a destination module imports, as "clerk-webhook-bridge/destinations" (resolved to this
 * file by src/modules/operator-modules.ts wherever DESTINATIONS_DIR is, and by package.json's
 * `exports` for the type checker): `defineDestination` and the helpers the shipped ones use.
 */
export {
  defineDestination,
  type Destination,
  type DestinationEnv,
  type DestinationRequest,
} from "./define-destination.ts";
export { clerkContact, type ClerkContact } from "./clerk-contact.ts";
export type { FunctionEvent } from "../client/index.ts";
