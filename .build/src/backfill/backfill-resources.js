const PAGE_SIZE = { min: 10, max: 500, default: 100 };
const ORDER = "+created_at";
const BACKFILL_RESOURCES = {
  users: {
    name: "users",
    noun: "users",
    eventName: "clerk/user.backfilled",
    async listPage(clerk, { limit, offset }) {
      const { data, totalCount } = await clerk.users.getUserList({ limit, offset, orderBy: ORDER });
      return { records: data.map(toRecord), totalCount };
    }
  },
  organizations: {
    name: "organizations",
    noun: "organizations",
    eventName: "clerk/organization.backfilled",
    async listPage(clerk, { limit, offset }) {
      const { data, totalCount } = await clerk.organizations.getOrganizationList({ limit, offset, orderBy: ORDER });
      return { records: data.map(toRecord), totalCount };
    }
  },
  "organization-memberships": {
    name: "organization-memberships",
    noun: "memberships",
    eventName: "clerk/organizationMembership.backfilled",
    async listPage(clerk, { limit, offset }) {
      const { data, totalCount } = await clerk.organizations.getInstanceOrganizationMembershipList({ limit, offset, orderBy: ORDER });
      return { records: data.map(toRecord), totalCount };
    }
  }
};
function toRecord(resource) {
  if (!resource.raw) throw new Error(`Clerk returned ${resource.id} without its JSON (raw)`);
  return { id: resource.id, createdAt: resource.createdAt, updatedAt: resource.updatedAt, raw: resource.raw };
}
export {
  BACKFILL_RESOURCES,
  PAGE_SIZE
};
