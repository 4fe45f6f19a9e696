import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

/**
 * This process's metrics. Next bundles a module once per entry (the webhook route, the metrics
 * route, instrumentation), so the registry lives on globalThis under a Symbol.for key, as
 * db/errors.ts shares its brand: every bundle of one process counts into the same one. Each
 * process has its own: on PostgreSQL every process reports what it served.
 */
export type AppMetrics = {
  registry: Registry;
  deliveries: Counter<"outcome" | "connector" | "owner">;
  ingestSeconds: Histogram;
  storageErrors: Counter;
};

const KEY = Symbol.for("engagement-viewer.metrics");

function createMetrics(): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    deliveries: new Counter({
      name: "engagement_viewer_deliveries_total",
      help: "Webhook deliveries logged by this process, by outcome and connection",
      labelNames: ["outcome", "connector", "owner"],
      registers: [registry],
    }),
    ingestSeconds: new Histogram({
      name: "engagement_viewer_ingest_duration_seconds",
      help: "Time from a webhook request's arrival to its answer (committed first)",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    storageErrors: new Counter({
      name: "engagement_viewer_storage_errors_total",
      help: "Webhook requests the database could not take (answered 503), or whose refusal it could not log",
      registers: [registry],
    }),
  };
}

export function appMetrics(): AppMetrics {
  const shared = globalThis as { [KEY]?: AppMetrics };
  return (shared[KEY] ??= createMetrics());
}
