import type { DeliveryResult, IncomingDelivery } from "@/db/types";
import type { PgDatabase } from "../client";
import { planNewEngagement } from "./apply";
import { acceptedEntry, logParams } from "./log-row";
import { pgText } from "./pg-values";
import { INSERT_NEW, isLostInsert, runStatement } from "./statements";
import { isRetryable } from "./transaction";

/**
 * An engagement never seen, carrying no records, in one statement (statements.ts
 * `INSERT_NEW`); null when that does not apply or another writer got there first, and the
 * locking transaction decides.
 */
export async function insertIfNew(
  db: PgDatabase,
  delivery: IncomingDelivery,
  started: number,
): Promise<DeliveryResult | null> {
  const { meta, change } = delivery;
  if ("refused" in change || change.model !== "crmEngagement") return null;
  const plan = planNewEngagement(change, meta.receivedAt);
  if (!plan) return null;
  const log = logParams(delivery, started, acceptedEntry(plan.outcome, change.warnings, null));
  try {
    const [row] = await runStatement<{ deliveryId: number | null }>(db.$client, INSERT_NEW, {
      ...log,
      ...plan.params,
      bodyHash: delivery.bodyHash,
      rawBody: pgText(delivery.rawBody),
    });
    const deliveryId = row!.deliveryId;
    if (deliveryId === null) return null;
    return { status: 200, body: delivery.rawBody, outcome: plan.outcome, deliveryId };
  } catch (error) {
    if (isLostInsert(error) || isRetryable(error)) return null;
    throw error;
  }
}
