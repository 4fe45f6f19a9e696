import { sql } from "drizzle-orm";
import type { StoredSession } from "../types";
import type { AppDatabase } from "./client";
import { get, statement } from "./prepared";

export function createSession(db: AppDatabase, session: StoredSession) {
  statement(
    db,
    "insert into sessions (id_hash, created_at, expires_at, password_tag) values (?, ?, ?, ?)",
  ).run(session.idHash, session.createdAt, session.expiresAt, session.passwordTag);
}

export function findSession(db: AppDatabase, idHash: string): StoredSession | null {
  return (
    get<StoredSession>(
      db,
      sql`select id_hash as idHash, created_at as createdAt, expires_at as expiresAt,
                 password_tag as passwordTag
            from sessions where id_hash = ${idHash}`,
    ) ?? null
  );
}

export function endSession(db: AppDatabase, idHash: string) {
  const result = statement(db, "delete from sessions where id_hash = ?").run(idHash);
  return { ended: result.changes > 0 };
}

/** Drops sessions whose expiry is at or before `nowMs`. */
export function pruneSessions(db: AppDatabase, nowMs: number) {
  const result = statement(db, "delete from sessions where expires_at <= ?").run(nowMs);
  return { pruned: result.changes };
}
