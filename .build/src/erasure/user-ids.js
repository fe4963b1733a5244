function userIdsOf(event) {
  const data = event.data ?? {};
  const user = event.user ?? {};
  const candidates = [
    /\/user\.[A-Za-z]+$/.test(event.name) ? data.id : void 0,
    data.user_id,
    data.public_user_data?.user_id,
    user.id,
    user.external_id
  ];
  return [...new Set(candidates.filter((id) => typeof id === "string" && id !== ""))];
}
function emailAddressesOf(event) {
  const data = event.data ?? {};
  const listed = Array.isArray(data.email_addresses) ? data.email_addresses.map((entry) => entry?.email_address) : [];
  return [...new Set([...listed, data.email_address, data.to_email_address].filter((email) => typeof email === "string" && email.includes("@")))];
}
export {
  emailAddressesOf,
  userIdsOf
};
