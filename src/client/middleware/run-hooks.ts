import type { EventDraft } from "../../events/accept-events.ts";
import type { MiddlewareStack } from "./middleware-stack.ts";
import type { MemoizedStep, RunHooks, RunInfo, RunResult, SendHooks } from "./inngest-middleware.ts";

/**
 * One execution's hooks, composed as Inngest composes them: `transformInput`, `before*`,
 * `finished` and `beforeResponse` run forward (client middleware first), `after*` and
 * `transformOutput` backward, so that the first middleware wraps the others like an onion.
 * Each hook is awaited before the next.
 */
export async function startRunHooks(stack: MiddlewareStack, info: RunInfo) {
  const hooks: RunHooks[] = [];
  for (const registration of stack) {
    const made = await (await registration).onFunctionRun?.(info);
    if (made) hooks.push(made);
  }
  const backward = [...hooks].reverse();
  const each = async (
    order: RunHooks[],
    name: "beforeMemoization" | "afterMemoization" | "beforeExecution" | "afterExecution" | "beforeResponse",
  ) => {
    for (const hook of order) await hook[name]?.();
  };

  return {
    /** Context merged shallowly, hook after hook; `steps` replaces stored step data by position. */
    async transformInput(ctx: Record<string, unknown>, steps: MemoizedStep[], fn: RunInfo["fn"]) {
      for (const hook of hooks) {
        const output = await hook.transformInput?.({ ctx, steps, fn });
        if (output?.ctx) ctx = { ...ctx, ...output.ctx };
        if (output?.steps) steps = steps.map((step, index) => ({ ...step, ...output.steps?.[index] }));
      }
      return { ctx, steps };
    },
    beforeMemoization: () => each(hooks, "beforeMemoization"),
    /** Where replayed code ends and new code begins. */
    async startExecution() {
      await each(backward, "afterMemoization");
      await each(hooks, "beforeExecution");
    },
    afterExecution: () => each(backward, "afterExecution"),
    async transformOutput(result: RunResult, step?: { id: string; name: string; op: "run" }): Promise<RunResult> {
      for (const hook of backward) {
        const output = await hook.transformOutput?.({ result, ...(step ? { step } : {}) });
        if (output?.result) result = { ...result, ...output.result };
      }
      return result;
    },
    async finished(result: RunResult) {
      for (const hook of hooks) await hook.finished?.({ result });
    },
    beforeResponse: () => each(hooks, "beforeResponse"),
  };
}

export type ComposedRunHooks = Awaited<ReturnType<typeof startRunHooks>>;

/**
 * Sends through `onSendEvent`: `transformInput` forward over the payloads, then the send, then
 * `transformOutput` backward over the ids. Used by `inngest.send()` and `step.sendEvent`.
 */
export async function sendThroughMiddleware(
  stack: MiddlewareStack | undefined,
  payloads: EventDraft[],
  send: (payloads: EventDraft[]) => Promise<string[]>,
): Promise<string[]> {
  if (!stack || stack.length === 0) return send(payloads);
  const hooks: SendHooks[] = [];
  for (const registration of stack) {
    const made = await (await registration).onSendEvent?.();
    if (made) hooks.push(made);
  }
  for (const hook of hooks) {
    const output = await hook.transformInput?.({ payloads });
    if (output?.payloads) payloads = output.payloads;
  }
  let ids = await send(payloads);
  for (const hook of [...hooks].reverse()) {
    const output = await hook.transformOutput?.({ result: { ids } });
    if (output?.result?.ids) ids = output.result.ids;
  }
  return ids;
}
