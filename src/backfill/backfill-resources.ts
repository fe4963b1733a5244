import type { ClerkClient } from "@clerk/backend";

/**
 * What the backfill pages through. Users, organizations and instance-wide organization
 * memberships have the same shape in Clerk's Backend API: an offset-paginated list that can be
 * ordered by `+created_at`, of objects whose JSON (the client keeps it as `raw`) is exactly the
 * `data` of their webhooks. So one loop serves all three, and only this table differs.
 */

/** One object from a list page: what the cursor and the event need, and its webhook-shaped JSON. */
export interface ClerkRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  raw: Record<string, unknown>;
}

export interface ClerkPage {
  records: ClerkRecord[];
  /** How many objects the instance has now (for the progress bar; it moves as users sign up). */
  totalCount: number;
}

export interface BackfillResource {
  /** The command's argument and the state file's name: `backfill-<name>.json`. */
  name: string;
  /** What the progress line calls them. */
  noun: string;
  /** `clerk/<webhook object type>.backfilled`, next to the webhooks' `clerk/user.created`. */
  eventName: string;
  listPage(clerk: ClerkClient, page: { limit: number; offset: number }): Promise<ClerkPage>;
}

/**
 * Records per page: Clerk takes 1 to 500 (default 10). At least 10 here, since each page re-reads
 * one record as its anchor (plan-page.ts); 100 by default, one Event API request per page.
 */
export const PAGE_SIZE = { min: 10, max: 500, default: 100 } as const;

/**
 * Oldest first: users who sign up during the backfill are added at the end, so the pages already
 * read do not move. (Clerk's default, `-created_at`, would shift every page by one per sign-up.)
 */
const ORDER = "+created_at";

export const BACKFILL_RESOURCES: Readonly<Record<string, BackfillResource>> = {
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
      const { data, totalCount } = await clerk.organizations.getInstanceOrganizationMembershipList({
        limit,
        offset,
        orderBy: ORDER,
      });
      return { records: data.map(toRecord), totalCount };
    },
  },
};

interface ClerkResource {
  id: string;
  createdAt: number;
  updatedAt: number;
  readonly raw: object | null;
}

/**
 * The client's camelCase object back to what the event carries: its `raw` Backend API JSON, the
 * shape webhooks deliver, so functions read `event.data.email_addresses` either way.
 */
function toRecord(resource: ClerkResource): ClerkRecord {
  if (!resource.raw) throw new Error(`Clerk returned ${resource.id} without its JSON (raw)`);
  return {
    id: resource.id,
    createdAt: resource.createdAt,
    updatedAt: resource.updatedAt,
    raw: resource.raw as Record<string, unknown>,
  };
}
