import cluster from "node:cluster";
const PROCESS_INDEX_VARIABLE = "BRIDGE_PROCESS_INDEX";
const CLUSTER_MESSAGES = {
  ready: "cwb:ready",
  metricsRequest: "cwb:metrics-request",
  metricsResponse: "cwb:metrics-response"
};
function processIndex() {
  return cluster.isWorker ? Number(process.env[PROCESS_INDEX_VARIABLE] ?? cluster.worker?.id ?? 0) : void 0;
}
function reportReady() {
  if (cluster.isWorker) process.send?.({ type: CLUSTER_MESSAGES.ready });
}
let nextRequest = 0;
async function readMetrics(metrics) {
  if (!cluster.isWorker) return metrics.registry.metrics();
  const id = nextRequest++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error("the supervisor did not answer the metrics request within 5 s")), 5e3);
    const onMessage = (message) => {
      if (message?.type !== CLUSTER_MESSAGES.metricsResponse || message.id !== id) return;
      finish(message.error ? new Error(message.error) : void 0, message.text ?? "");
    };
    const finish = (error, text = "") => {
      clearTimeout(timer);
      process.off("message", onMessage);
      if (error) reject(error);
      else resolve(text);
    };
    process.on("message", onMessage);
    process.send?.({ type: CLUSTER_MESSAGES.metricsRequest, id });
  });
}
export {
  CLUSTER_MESSAGES,
  PROCESS_INDEX_VARIABLE,
  processIndex,
  readMetrics,
  reportReady
};
