/**
 * Reading a Clerk user payload (the `data` of user.created / user.updated / user.deleted).
 * Pure: no I/O, so every odd shape Clerk sends is unit-tested here.
 * Payload reference: https://clerk.com/docs/reference/backend/types/backend-user
 */
/**
 * The primary address, found by `primary_email_address_id` in `email_addresses`. A user signed up
 * by phone or OAuth without email has none: that is null, never a crash.
 */
export function primaryEmail(data) {
    const addresses = Array.isArray(data.email_addresses) ? data.email_addresses : [];
    const primaryId = data.primary_email_address_id;
    if (!primaryId)
        return null;
    const primary = addresses.find((address) => address?.id === primaryId);
    return nonEmpty(primary?.email_address);
}
/** The user id, or null: Clerk's user.deleted may arrive without one. */
export function userId(data) {
    return nonEmpty(data.id);
}
/**
 * A created/updated payload as a row. `updated_at` orders the writes; when a payload lacks it
 * (hand-sent test events), the event's own timestamp stands in, so the guard still has a value.
 */
export function toUserRow(data, eventTs) {
    const id = userId(data);
    if (!id)
        return null;
    return {
        id,
        email: primaryEmail(data),
        firstName: nonEmpty(data.first_name),
        lastName: nonEmpty(data.last_name),
        imageUrl: nonEmpty(data.image_url),
        createdAt: toDate(data.created_at),
        updatedAt: toDate(data.updated_at) ?? new Date(eventTs),
        raw: data,
    };
}
/** Clerk sends epoch milliseconds; anything else is treated as absent. */
function toDate(value) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
        return null;
    return new Date(value);
}
function nonEmpty(value) {
    return typeof value === "string" && value.trim() !== "" ? value : null;
}
