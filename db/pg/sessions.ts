import { eq, lte } from "drizzle-orm";
import type { StoredSession } from "../types";
import type { PgDatabase } from "./client";
import { sessions } from "./schema";

export async function createSession(db: PgDatabase, session: StoredSession) {
  await db.insert(sessions).values(session);
}

export async function findSession(db: PgDatabase, idHash: string): Promise<StoredSession | null> {
  const [row] = await db.select().from(sessions).where(eq(sessions.idHash, idHash));
  return row ?? null;
}

export async function endSession(db: PgDatabase, idHash: string) {
  const result = await db.delete(sessions).where(eq(sessions.idHash, idHash));
  return { ended: (result.rowCount ?? 0) > 0 };
}

/** Drops sessions whose expiry is at or before `nowMs`. */
export async function pruneSessions(db: PgDatabase, nowMs: number) {
  const result = await db.delete(sessions).where(lte(sessions.expiresAt, nowMs));
  return { pruned: result.rowCount ?? 0 };
}
