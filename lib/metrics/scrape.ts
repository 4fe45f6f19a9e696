import { Gauge, Registry } from "prom-client";
import { getStore } from "@/db/app-store";
import type { Store } from "@/db/store";
import { appMetrics } from "./registry";

/**
 * This process's metrics in Prometheus' text format, with each connection's time since its last
 * delivery read from the store now. That gauge is built per scrape in a registry of its own, so
 * scrapes never share its values; an unreachable store leaves it out and the counters still answer.
 */
export async function scrapeMetrics(
  now: number,
  store: Store = getStore(),
): Promise<{ contentType: string; body: string }> {
  const { registry } = appMetrics();
  const scrape = new Registry();
  const age = new Gauge({
    name: "engagement_viewer_connection_last_delivery_age_seconds",
    help: "Seconds since each connection's last delivery arrived (read from the database at scrape)",
    labelNames: ["connector", "owner"],
    registers: [scrape],
  });
  try {
    for (const pulse of await store.connectionPulses()) {
      if (pulse.lastReceivedAt === null) continue;
      age.set(
        { connector: pulse.connectorId, owner: pulse.connectionOwnerId },
        Math.max(0, (now - Date.parse(pulse.lastReceivedAt)) / 1000),
      );
    }
  } catch (error) {
    console.error("metrics: could not read the connections", error);
  }
  const merged = Registry.merge([registry, scrape]);
  return { contentType: registry.contentType, body: await merged.metrics() };
}
