/**
 * Event names that not every sender may use. `clerk/user.created` drives user-sync (rows in the
 * users table) and onboarding-email (mail to any address it names), so it must come from Clerk
 * through a verified webhook, not from whoever holds an Event API key. The same holds for every
 * source with a template in TRANSFORMS_DIR: names under `<source>/` belong to that source.
 *
 * `inngest/` names are the bridge's own (`inngest/function.failed`, `inngest/scheduled.timer`,
 * ...): a forged `inngest/function.failed` would run onFailure handlers with made-up data, so no
 * outside sender may use them, not even a trusted key; only the operator API may (to try an
 * onFailure handler).
 */
export const SYSTEM_OWNER = "inngest";
/** The reserved names of these webhook sources (the template names) and of the bridge. */
export function reservedNames(sources) {
    const owners = new Set([...sources].map((source) => source.toLowerCase()));
    owners.add(SYSTEM_OWNER);
    return {
        ownerOf(name) {
            // Case-insensitive, so `Clerk/user.created` cannot slip past a trigger matched some other way.
            const slash = name.indexOf("/");
            if (slash <= 0)
                return undefined;
            const prefix = name.slice(0, slash).trim().toLowerCase();
            return owners.has(prefix) ? prefix : undefined;
        },
    };
}
/** The first of `names` whose owner `mayUse` refuses, with that owner. */
export function firstRefusedName(reserved, names, mayUse) {
    for (const name of names) {
        const owner = reserved.ownerOf(name);
        if (owner !== undefined && !mayUse(owner))
            return { name, owner };
    }
    return undefined;
}
