import cluster from "node:cluster";
import { givenProcessIndex } from "../config/environment.ts";
import type { BridgeMetrics } from "../metrics/create-metrics.ts";

export const CLUSTER_MESSAGES = {
  ready: "cwb:ready",
  metricsRequest: "cwb:metrics-request",
  metricsResponse: "cwb:metrics-response",
} as const;

export type ClusterMessage =
  | { type: typeof CLUSTER_MESSAGES.ready }
  | { type: typeof CLUSTER_MESSAGES.metricsRequest; id: number }
  | { type: typeof CLUSTER_MESSAGES.metricsResponse; id: number; text?: string; error?: string };

/** This process's index under a supervisor, or undefined when it runs alone. */
export function processIndex(): number | undefined {
  return cluster.isWorker ? Number(givenProcessIndex() ?? cluster.worker?.id ?? 0) : undefined;
}

/** Tells the supervisor this process is up (listening, workers started). */
export function reportReady(): void {
  if (cluster.isWorker) process.send?.({ type: CLUSTER_MESSAGES.ready } satisfies ClusterMessage);
}

let nextRequest = 0;

/**
 * The metrics /metrics shows: under a supervisor, the sum over every process (the supervisor
 * gathers them with prom-client's AggregatorRegistry); alone, this process's own.
 */
export async function readMetrics(metrics: BridgeMetrics): Promise<string> {
  if (!cluster.isWorker) return metrics.registry.metrics();
  const id = nextRequest++;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error("the supervisor did not answer the metrics request within 5 s")),
      5000,
    );
    const onMessage = (message: ClusterMessage) => {
      if (message?.type !== CLUSTER_MESSAGES.metricsResponse || message.id !== id) return;
      finish(message.error ? new Error(message.error) : undefined, message.text ?? "");
    };
    const finish = (error?: Error, text = "") => {
      clearTimeout(timer);
      process.off("message", onMessage);
      if (error) reject(error);
      else resolve(text);
    };
    process.on("message", onMessage);
    process.send?.({ type: CLUSTER_MESSAGES.metricsRequest, id } satisfies ClusterMessage);
  });
}
