import { deflateRawSync, inflateRawSync } from "node:zlib";

/**
 * An event's `data` at rest, deflated when it is large: the intake stores each event once, as its
 * job on the "events" queue, for RETENTION. A packed `data` is one string,
 * `zip:v1:<base64 of raw deflate>`, in place of the object (an event's data is always an object,
 * so a string there is sealed or packed, never sent), so the job stays JSON for BullMQ and the
 * event's id, name and times stay readable without unpacking. With ENCRYPTION_KEY the packed
 * string is what is sealed (so `bridge rekey` re-seals it like any sealed value). Every reader
 * opens an event with the sealer's openEvent, which opens, then unpacks it.
 *
 * Deflate is primed with the JSON keys of Clerk's webhook payloads (the bridge's samples, frozen
 * here: changing them would make v1 unreadable; another dictionary is another version): the
 * 848 bytes of a sign-up's data pack into 419 with them, 591 without (1,711 and 575 for a
 * session.created). Packing that takes 16 µs, unpacking 8 µs. bench:memory: an event's job 1,984
 * -> 1,527 bytes of Redis at its defaults (a session.created's 3,008 -> 1,728).
 */
const PREFIX = "zip:v1:";

/** Smaller data is left as it is: deflate and base64 would save little or nothing. */
export const PACK_DATA_MIN_BYTES = 256;

/** The keys of Clerk's payloads (samples/clerk/, every type), the most frequent last: deflate finds near matches cheaper. */
const CLERK_KEYS = [
  "app attempts birthday body body_plain browser_name browser_version button_text_color city country",
  "device_type domain_name email_address_id from_email_name from_phone_number gender internal_id",
  "ip_address is_creator_eligible is_mobile linked_to logo_image_url logo_url message otp_code",
  "phone_number_id primary_color public_metadata_fallback public_organization_data requested_at",
  "requested_by show_clerk_branding subject theme to_email_address to_phone_number",
  "affiliation_email_address amount_per_block annual_monthly_amount applied_amount billing_date",
  "block_size card_type charge_type credit credits data delivered_by_clerk department ends_after_block",
  "enrollment_mode failed_at failed_reason gateway gateway_external_account_id gateway_status",
  "gateway_type grand_total has_base_fee invitation is_default is_locked is_prorated last4",
  "lifetime_paid next_payment_amount next_payment_date paid_at payee payment_id payment_method",
  "payment_source period plan_period product_id proration proration_date publicly_visible quantity",
  "remaining_balance seats starts_at_block statement_id strategy subscription_items subtotal tax_total",
  "tiers total total_pending_invitations total_pending_suggestions totals unit_prices expires_at",
  "identifier organization public_user_data verification active_at cycle_days_remaining",
  "cycle_days_total cycle_remaining_percent ended_at instance_id items latest_payment_id payer_id",
  "payment_source_id url abandon_at actor admin_delete_enabled client_id created_by deleted",
  "last_active_organization_id latest_activity max_allowed_memberships members_count",
  "missing_member_with_elevated_permissions pending_invitations_count permissions type",
  "backup_code_enabled banned canceled_at create_organization_enabled create_organizations_limit",
  "delete_self_enabled enterprise_accounts expire_at gateway_external_id legal_accepted_at locked",
  "lockout_expires_in_seconds mfa_disabled_at mfa_enabled_at passkeys past_due_at role role_name",
  "saml_accounts totp_enabled user verification_attempts_remaining email_address email_addresses",
  "external_accounts key last_sign_in_at password_enabled phone_numbers primary_email_address_id",
  "primary_phone_number_id primary_web3_wallet_id two_factor_enabled unsafe_metadata username",
  "web3_wallets external_id description profile_image_url last_active_at is_free_trial",
  "organization_name subscription_id email has_image interval is_recurring period_end period_start plan",
  "plan_id payer amount_formatted currency_symbol organization_id private_metadata public_metadata",
  "first_name last_name slug user_id image_url name currency status amount updated_at created_at object",
  "id",
]
  .join(" ")
  .split(" ");

const DICTIONARY = Buffer.from(CLERK_KEYS.map((key) => `"${key}":`).join(""));

export function isPackedData(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(PREFIX);
}

/**
 * An event with its `data` packed when that is large enough to gain from it. Data that cannot be
 * serialised is left as it is: storing it fails the same way, and the intake says why.
 */
export function packEventData<T extends { data?: unknown }>(event: T): T {
  if (event.data === null || typeof event.data !== "object") return event;
  let json: string;
  try {
    json = JSON.stringify(event.data);
  } catch {
    return event;
  }
  if (json.length < PACK_DATA_MIN_BYTES) return event;
  const packed = PREFIX + deflateRawSync(json, { dictionary: DICTIONARY }).toString("base64");
  return packed.length < json.length ? { ...event, data: packed } : event;
}

/** `data` as it was sent, packed or not. */
export function unpackData(value: unknown): unknown {
  if (!isPackedData(value)) return value;
  const json = inflateRawSync(Buffer.from(value.slice(PREFIX.length), "base64"), { dictionary: DICTIONARY });
  return JSON.parse(json.toString("utf8"));
}

/** An event with its `data` as it was sent. */
export function unpackEventData<T extends { data?: unknown }>(event: T): T {
  return isPackedData(event.data) ? { ...event, data: unpackData(event.data) } : event;
}
