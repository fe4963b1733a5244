import type { Request, Response } from "express";
import type { RunState } from "../client/index.ts";
import type { RunQuery, Page } from "../engine/store/run-queries.ts";
import type { AcceptDeps } from "../events/accept-events.ts";
import type { EventPage, EventQuery } from "../events/event-log.ts";
import type { BridgeEvent } from "../events/event-schema.ts";
import type { OutboxEntry } from "../functions/mail/dev-outbox.ts";
import type { EraseReport } from "../events/personal-data.ts";
import type { AdminAuth } from "./admin-auth.ts";
import type { AuditLog, AuditRecord } from "../audit/audit-log.ts";
import type { DestinationDescription } from "../destinations/destination-directory.ts";
import type { ConsoleSources } from "./console-sources.ts";
import type { FunctionDescription } from "./function-directory.ts";
import type { LiveFeed } from "./live-feed.ts";

export type { EventQuery, RunQuery };

/** Records what an operator did, once it is done, naming them as `auth.require` found them. */
export type AuditAction = (req: Request, res: Response, entry: Omit<AuditRecord, "actor" | "address">) => Promise<void>;

/** The runs list's query: the run store's, and one event's runs by its id. */
export type OperatorRunQuery = RunQuery & { eventId?: string };

/**
 * What the operator API reads and acts on: the event log, the run store, the function registry
 * and the outbox, bound by app/create-operator-routers.ts. The API itself never creates a client.
 */
export interface OperatorSources {
  listEvents(query: EventQuery): Promise<EventPage>;
  getEvent(id: string): Promise<BridgeEvent | undefined>;
  listRuns(query: OperatorRunQuery): Promise<Page<RunState>>;
  listRunsForEvent(eventId: string): Promise<RunState[]>;
  getRun(runId: string): Promise<RunState | undefined>;
  cancelRun(runId: string): Promise<RunState>;
  retryRun(runId: string): Promise<RunState>;
  listFunctions(): Promise<FunctionDescription[]>;
  listDestinations(): Promise<DestinationDescription[]>;
  /** Users mirrored by user-sync; absent where user-sync does not run in this process. */
  countUsers?(): Promise<number>;
  /** Erases what the bridge holds about a Clerk user (src/erasure/erase-user.ts). */
  eraseUser(userId: string): Promise<EraseReport>;
  /** The development outbox (SMTP_URL unset); absent when emails go to a real server. */
  listOutbox?(limit: number): Promise<OutboxEntry[]>;
}

export interface OperatorDeps {
  auth: AdminAuth;
  accept: AcceptDeps;
  feed: LiveFeed;
  sources: OperatorSources;
  audit: AuditLog;
  /** Deliveries, search, bulk actions, function statistics and pauses, the dev bridge. */
  console: ConsoleSources;
  /** Where a failed audit write is reported: the action it describes has already happened. */
  onAuditError(error: unknown): void;
}
