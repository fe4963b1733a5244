/**
 * Types a destination module's default export: the variables it names are typed in `request`'s
 * `env`. Returns the definition unchanged; the loader checks it at start.
 */
export function defineDestination(destination) {
    return destination;
}
