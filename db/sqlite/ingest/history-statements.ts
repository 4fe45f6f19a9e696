import type Database from "better-sqlite3";
import type { RefRole } from "@/db/schema";
import type { VersionColumns } from "@/db/history";
import { prepare } from "./statements";

/** An engagement's version rows: its stored state to compare against, and each new version. */
export function historyStatements(sqlite: Database.Database) {
  const refs = sqlite.prepare<[number], { role: RefRole; refId: string }>(
    `SELECT role, ref_id AS refId FROM engagement_refs WHERE engagement_id = ?`,
  );
  return {
    findState: prepare<{ id: number }, VersionColumns>(
      sqlite,
      `SELECT type, direction, status, title, description, started_at AS startedAt,
              ended_at AS endedAt, duration, owner_id AS ownerId
         FROM engagements WHERE id = @id`,
    ),
    findRefs: (engagementId: number) => refs.all(engagementId),
    // The next number after the engagement's last version (1 for its first).
    insertVersion: prepare<{
      engagementId: number;
      deliveryId: number | null;
      receivedAt: number;
      event: string | null;
      updatedAt: number;
      changes: string;
    }>(
      sqlite,
      `INSERT INTO engagement_history
         (engagement_id, version, delivery_id, received_at, event, updated_at, changes)
       VALUES (@engagementId,
         (SELECT coalesce(max(version), 0) + 1 FROM engagement_history WHERE engagement_id = @engagementId),
         @deliveryId, @receivedAt, @event, @updatedAt, @changes)`,
    ),
  };
}
