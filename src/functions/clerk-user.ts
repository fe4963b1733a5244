/**
 * Reading a Clerk user payload (the `data` of user.created / user.updated / user.deleted).
 * Pure: no I/O, so every odd shape Clerk sends is unit-tested here.
 * Payload reference: https://clerk.com/docs/reference/backend/types/backend-user
 */

export interface ClerkEmailAddress {
  id?: string;
  email_address?: string;
}

export interface ClerkUserData {
  id?: string;
  first_name?: string | null;
  last_name?: string | null;
  image_url?: string | null;
  primary_email_address_id?: string | null;
  email_addresses?: ClerkEmailAddress[] | null;
  created_at?: number | null;
  updated_at?: number | null;
  deleted?: boolean;
}

/** One row of the `users` table, as user-sync writes it. */
export interface UserRow {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  imageUrl: string | null;
  createdAt: Date | null;
  updatedAt: Date;
  raw: Record<string, unknown>;
}

/**
 * The primary address, found by `primary_email_address_id` in `email_addresses`. A user signed up
 * by phone or OAuth without email has none: that is null, never a crash.
 */
export function primaryEmail(data: ClerkUserData): string | null {
  const addresses = Array.isArray(data.email_addresses) ? data.email_addresses : [];
  const primaryId = data.primary_email_address_id;
  if (!primaryId) return null;
  const primary = addresses.find((address) => address?.id === primaryId);
  return nonEmpty(primary?.email_address);
}

/** The user id, or null: Clerk's user.deleted may arrive without one. */
export function userId(data: ClerkUserData): string | null {
  return nonEmpty(data.id);
}

/**
 * A created/updated payload as a row. `updated_at` orders the writes; when a payload lacks it
 * (hand-sent test events), the event's own timestamp stands in, so the guard still has a value.
 */
export function toUserRow(data: ClerkUserData, eventTs: number): UserRow | null {
  const id = userId(data);
  if (!id) return null;
  return {
    id,
    email: primaryEmail(data),
    firstName: nonEmpty(data.first_name),
    lastName: nonEmpty(data.last_name),
    imageUrl: nonEmpty(data.image_url),
    createdAt: toDate(data.created_at),
    updatedAt: toDate(data.updated_at) ?? new Date(eventTs),
    raw: data as Record<string, unknown>,
  };
}

/** The latest time a JavaScript Date (and so a `pg` parameter) can hold: 8.64e15 ms, the year 275760. */
const MAX_TIME_MS = 8.64e15;

/**
 * Names a `created_at` or `updated_at` that is a number but no time a Date can hold (`1e20`):
 * written, it fails in PostgreSQL on every retry. Undefined when both are fine or absent.
 */
export function outOfRangeTimestamp(data: ClerkUserData): string | undefined {
  for (const field of ["updated_at", "created_at"] as const) {
    const value = data[field];
    if (typeof value === "number" && (!Number.isFinite(value) || Math.abs(value) > MAX_TIME_MS)) {
      return `${field} ${value} is out of range (epoch milliseconds, at most ${MAX_TIME_MS})`;
    }
  }
  return undefined;
}

/** Clerk sends epoch milliseconds; anything else is treated as absent. */
function toDate(value: unknown): Date | null {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return null;
  return new Date(value);
}

function nonEmpty(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}
