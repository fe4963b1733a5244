import { z } from "zod";
import { splitDeliveryCursor } from "../deliveries/delivery-cursor.ts";
import { INDEX_MEMBER, STREAM_ID } from "../redis/cursor-forms.ts";

/**
 * The paging cursors the operator API gives out as `next` and takes back as `before`, each
 * checked for its form: a cursor no page gave out is a 400 `cursor_invalid` (query-params.ts).
 */
const NOT_A_CURSOR = "before: not a cursor of this listing; pass the `next` of the previous page";

/** Events and runs: a member of their time index. */
export const indexCursor = z.string().regex(INDEX_MEMBER, NOT_A_CURSOR).optional();
/** The audit log: a stream id. */
export const streamCursor = z.string().regex(STREAM_ID, NOT_A_CURSOR).optional();
/** Deliveries: both logs' positions. */
export const deliveryCursor = z
  .string()
  .refine((value) => splitDeliveryCursor(value) !== undefined, NOT_A_CURSOR)
  .optional();
