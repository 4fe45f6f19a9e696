import type pg from "pg";
import type { RefRole } from "@/db/models";
import type { EngagementChange, IncomingDelivery } from "@/db/types";
import { updatesStored, type Locked } from "./apply";
import { pgText } from "./pg-values";
import { defineStatement, runStatement } from "./statements";

/**
 * The stored engagement's references, for the version an update compares with. Read in a
 * statement of its own once the claim holds the row's lock: every writer before has committed
 * them by then, where a read inside the claim would see them as they were before it waited.
 */
const FIND_REFS = defineStatement(
  "ingest-find-refs",
  `SELECT role, ref_id AS "refId" FROM engagement_refs
    WHERE connector_id = @connectorId AND connection_owner_id = @connectionOwnerId
      AND engagement_id = @engagementId::bigint`,
);

/** `locked` with the engagement's stored references when the change updates it (one round trip). */
export async function withStoredRefs(
  client: pg.ClientBase,
  delivery: IncomingDelivery,
  change: EngagementChange,
  locked: Locked,
): Promise<Locked> {
  const stored = locked.engagement;
  if (stored === null || !updatesStored(change, stored)) return locked;
  const refs = await runStatement<{ role: RefRole; refId: string }>(client, FIND_REFS, {
    connectorId: pgText(delivery.meta.connectorId),
    connectionOwnerId: pgText(delivery.meta.connectionOwnerId),
    engagementId: stored.id,
  });
  return { ...locked, engagement: { ...stored, refs } };
}
