import type { AcceptDeps } from "../events/accept-events.ts";
import type { BridgeEvent } from "../events/event-schema.ts";
import type { AdminAuth } from "./admin-auth.ts";
import type { LiveFeed } from "./live-feed.ts";

/**
 * What the operator API and the dashboard read and act on. main.ts binds these to the event
 * log, the run store and the function registry; the API itself never creates a client.
 */
export interface EventQuery {
  name?: string;
  since?: number;
  until?: number;
  limit: number;
  before?: string;
}

export interface RunQuery {
  status?: string;
  functionId?: string;
  limit: number;
  before?: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `before` to get the next (older) page; absent on the last page. */
  next?: string;
}

export interface FunctionInfo {
  id: string;
  name?: string;
  triggers: unknown[];
  [key: string]: unknown;
}

export interface OperatorSources {
  listEvents(query: EventQuery): Promise<Page<BridgeEvent>>;
  getEvent(id: string): Promise<BridgeEvent | undefined>;
  listRuns(query: RunQuery): Promise<Page<Record<string, unknown>>>;
  listRunsForEvent(eventId: string): Promise<Array<Record<string, unknown>>>;
  getRun(runId: string): Promise<Record<string, unknown> | undefined>;
  cancelRun(runId: string): Promise<Record<string, unknown>>;
  retryRun(runId: string): Promise<Record<string, unknown>>;
  listFunctions(): FunctionInfo[];
  /** The development outbox (emails the built-in functions would have sent); absent when off. */
  listOutbox?(limit: number): Promise<unknown[]>;
}

export interface OperatorDeps {
  auth: AdminAuth;
  accept: AcceptDeps;
  feed: LiveFeed;
  sources: OperatorSources;
}
