function primaryEmail(data) {
  const addresses = Array.isArray(data.email_addresses) ? data.email_addresses : [];
  const primaryId = data.primary_email_address_id;
  if (!primaryId) return null;
  const primary = addresses.find((address) => address?.id === primaryId);
  return nonEmpty(primary?.email_address);
}
function userId(data) {
  return nonEmpty(data.id);
}
function toUserRow(data, eventTs) {
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
    raw: data
  };
}
function toDate(value) {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return null;
  return new Date(value);
}
function nonEmpty(value) {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}
export {
  primaryEmail,
  toUserRow,
  userId
};
