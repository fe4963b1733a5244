/**
 * Records per page: Clerk takes 1 to 500 (default 10). At least 10 here, since each page re-reads
 * one record as its anchor (plan-page.ts); 100 by default, one Event API request per page.
 */
export const PAGE_SIZE = { min: 10, max: 500, default: 100 };
/**
 * Oldest first: users who sign up during the backfill are added at the end, so the pages already
 * read do not move. (Clerk's default, `-created_at`, would shift every page by one per sign-up.)
 */
const ORDER = "+created_at";
export const BACKFILL_RESOURCES = {
    users: {
        name: "users",
        noun: "users",
        eventName: "clerk/user.backfilled",
        async listPage(clerk, { limit, offset }) {
            const { data, totalCount } = await clerk.users.getUserList({ limit, offset, orderBy: ORDER });
            return { records: data.map(toRecord), totalCount };
        },
    },
    organizations: {
        name: "organizations",
        noun: "organizations",
        eventName: "clerk/organization.backfilled",
        async listPage(clerk, { limit, offset }) {
            const { data, totalCount } = await clerk.organizations.getOrganizationList({ limit, offset, orderBy: ORDER });
            return { records: data.map(toRecord), totalCount };
        },
    },
    "organization-memberships": {
        name: "organization-memberships",
        noun: "memberships",
        eventName: "clerk/organizationMembership.backfilled",
        async listPage(clerk, { limit, offset }) {
            const { data, totalCount } = await clerk.organizations.getInstanceOrganizationMembershipList({ limit, offset, orderBy: ORDER });
            return { records: data.map(toRecord), totalCount };
        },
    },
};
/**
 * The client's camelCase object back to what the event carries: its `raw` Backend API JSON, the
 * shape webhooks deliver, so functions read `event.data.email_addresses` either way.
 */
function toRecord(resource) {
    if (!resource.raw)
        throw new Error(`Clerk returned ${resource.id} without its JSON (raw)`);
    return { id: resource.id, createdAt: resource.createdAt, updatedAt: resource.updatedAt, raw: resource.raw };
}
