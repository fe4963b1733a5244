import cluster from "node:cluster";
/** The supervisor tells each process its index in this variable (process 0 does the once-only work). */
export const PROCESS_INDEX_VARIABLE = "BRIDGE_PROCESS_INDEX";
export const CLUSTER_MESSAGES = {
    ready: "cwb:ready",
    metricsRequest: "cwb:metrics-request",
    metricsResponse: "cwb:metrics-response",
};
/** This process's index under a supervisor, or undefined when it runs alone. */
export function processIndex() {
    return cluster.isWorker ? Number(process.env[PROCESS_INDEX_VARIABLE] ?? cluster.worker?.id ?? 0) : undefined;
}
/** Tells the supervisor this process is up (listening, workers started). */
export function reportReady() {
    if (cluster.isWorker)
        process.send?.({ type: CLUSTER_MESSAGES.ready });
}
let nextRequest = 0;
/**
 * The metrics /metrics shows: under a supervisor, the sum over every process (the supervisor
 * gathers them with prom-client's AggregatorRegistry); alone, this process's own.
 */
export async function readMetrics(metrics) {
    if (!cluster.isWorker)
        return metrics.registry.metrics();
    const id = nextRequest++;
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error("the supervisor did not answer the metrics request within 5 s")), 5000);
        const onMessage = (message) => {
            if (message?.type !== CLUSTER_MESSAGES.metricsResponse || message.id !== id)
                return;
            finish(message.error ? new Error(message.error) : undefined, message.text ?? "");
        };
        const finish = (error, text = "") => {
            clearTimeout(timer);
            process.off("message", onMessage);
            if (error)
                reject(error);
            else
                resolve(text);
        };
        process.on("message", onMessage);
        process.send?.({ type: CLUSTER_MESSAGES.metricsRequest, id });
    });
}
