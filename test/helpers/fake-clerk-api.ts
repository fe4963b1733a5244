import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { clerkFixture } from "./sign-fixture.ts";

/**
 * A local stand-in for the routes of Clerk's Backend API the backfill uses, answering as Clerk
 * does (what @clerk/backend parses): `GET /v1/users` (a JSON array) with `limit`, `offset` and
 * `order_by`, `GET /v1/users/count`, and the paginated `{ data, total_count }` lists
 * `/v1/organizations` and `/v1/organization_memberships`. Every so often it answers 429 with
 * `Retry-After: 1`, as Clerk's rate limiter does, and it can be told to fail mid-run.
 */

export const FAKE_SECRET_KEY = "sk_test_backfill_fake_0123456789";
/** 2024-05-28, the fixtures' own timestamp: the first user signed up then, one per second after. */
const BASE_TIME = 1_716_883_200_000;

type Json = Record<string, unknown>;

export interface ListRequest {
  path: string;
  offset: number;
  limit: number;
  orderBy: string | null;
}

export interface FakeClerk {
  /** What CLERK_API_URL is set to. */
  url: string;
  /** The instance's records, in creation order; tests edit them between pages. */
  users: Json[];
  organizations: Json[];
  memberships: Json[];
  /** Every list request served (not the counts, not the 429s). */
  requests: ListRequest[];
  /** Answer 429 with Retry-After: 1 on every nth request (0: never). */
  rateLimitEvery: number;
  rateLimited: number;
  /** After `pages` more list requests, answer 500 to every request until `recover()`. */
  failAfter(pages: number): void;
  recover(): void;
  /** Called before a list request is answered: a test changes the records here, mid-run. */
  beforeList?: (request: ListRequest) => void;
  close(): Promise<void>;
}

/** The n-th user, built from the user.created fixture: its own id, email, created_at and updated_at. */
export function fakeUser(n: number): Json {
  const base = clerkFixture("user.created").data as Json;
  const address = (clerkFixture("user.created").data as { email_addresses: Json[] }).email_addresses[0]!;
  const id = `user_${String(n).padStart(6, "0")}`;
  const createdAt = BASE_TIME + n * 1000;
  return {
    ...base,
    id,
    first_name: `User${n}`,
    primary_email_address_id: `idn_${n}`,
    email_addresses: [{ ...address, id: `idn_${n}`, email_address: `user${n}@example.org` }],
    created_at: createdAt,
    updated_at: createdAt + 500,
    last_sign_in_at: createdAt,
    last_active_at: createdAt,
  };
}

export function fakeOrganization(n: number): Json {
  const createdAt = BASE_TIME + n * 1000;
  return {
    ...(clerkFixture("organization.created").data as Json),
    id: `org_${String(n).padStart(6, "0")}`,
    slug: `org-${n}`,
    created_at: createdAt,
    updated_at: createdAt,
  };
}

export function fakeMembership(n: number): Json {
  const createdAt = BASE_TIME + n * 1000;
  return {
    ...(clerkFixture("organizationMembership.created").data as Json),
    id: `orgmem_${String(n).padStart(6, "0")}`,
    created_at: createdAt,
    updated_at: createdAt,
  };
}

export async function startFakeClerk(
  counts: { users?: number; organizations?: number; memberships?: number; rateLimitEvery?: number } = {},
): Promise<FakeClerk> {
  const range = (size = 0) => Array.from({ length: size }, (_, index) => index + 1);
  let served = 0;
  let failIn: number | undefined;
  const fake: FakeClerk = {
    url: "",
    users: range(counts.users).map(fakeUser),
    organizations: range(counts.organizations).map(fakeOrganization),
    memberships: range(counts.memberships).map(fakeMembership),
    requests: [],
    rateLimitEvery: counts.rateLimitEvery ?? 0,
    rateLimited: 0,
    failAfter: (pages) => void (failIn = pages),
    recover: () => void (failIn = undefined),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://fake");
    if (req.headers.authorization !== `Bearer ${FAKE_SECRET_KEY}`)
      return send(res, 401, clerkErrors("authentication_invalid", "The provided Clerk Secret Key is invalid."));
    if (failIn !== undefined && failIn <= 0)
      return send(res, 500, clerkErrors("internal_clerk_error", "Something went wrong"));
    if (fake.rateLimitEvery > 0 && ++served % fake.rateLimitEvery === 0) {
      fake.rateLimited++;
      return send(res, 429, clerkErrors("too_many_requests", "Too many requests, retry later"), { "retry-after": "1" });
    }
    const records = {
      "/v1/users": fake.users,
      "/v1/organizations": fake.organizations,
      "/v1/organization_memberships": fake.memberships,
    }[url.pathname];
    if (url.pathname === "/v1/users/count")
      return send(res, 200, { object: "total_count", total_count: fake.users.length });
    if (!records || req.method !== "GET")
      return send(res, 404, clerkErrors("resource_not_found", `no route ${req.method} ${url.pathname}`));
    const request: ListRequest = {
      path: url.pathname,
      offset: Number(url.searchParams.get("offset") ?? 0),
      limit: Number(url.searchParams.get("limit") ?? 10),
      orderBy: url.searchParams.get("order_by"),
    };
    if (failIn !== undefined) failIn--;
    fake.beforeList?.(request);
    fake.requests.push(request);
    const page = sortBy(records, request.orderBy ?? "-created_at").slice(
      request.offset,
      request.offset + request.limit,
    );
    // Users come as a bare array (their count is a request of its own); the others paginated.
    send(res, 200, url.pathname === "/v1/users" ? page : { data: page, total_count: records.length });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function sortBy(records: Json[], orderBy: string): Json[] {
  const descending = orderBy.startsWith("-");
  const field = orderBy.replace(/^[+-]/, "");
  const sorted = [...records].sort((a, b) => Number(a[field]) - Number(b[field]));
  return descending ? sorted.reverse() : sorted;
}

function clerkErrors(code: string, message: string) {
  return { errors: [{ code, message, long_message: message }], clerk_trace_id: "fake-trace" };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  // Exactly "application/json": the client reads the body as JSON only on that header.
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
