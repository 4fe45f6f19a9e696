import { createHash, randomBytes, scryptSync } from "node:crypto";
import { getStore } from "@/db/app-store";
import type { Store } from "@/db/store";
import type { StoredSession } from "@/db/types";
import { sessionHours } from "@/lib/config";
import { appSecret } from "./secrets";

/**
 * UI sessions kept in the database: the cookie carries a random id, the table its SHA-256.
 * Every check reads the table (no cache), so a sign-out holds on every process at once.
 */

const HOUR_MS = 60 * 60 * 1000;
/** 32 random bytes in base64url; any other cookie value is refused without a lookup. */
const ID_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export type SessionContext = {
  store?: Store;
  /** The clock, in epoch ms (tests move it). */
  now?: number;
  /** `APP_SESSION_HOURS` unless given. */
  hours?: number;
  /** The app's password unless given. */
  password?: string;
};

async function resolve(context: SessionContext) {
  return {
    store: context.store ?? getStore(),
    now: context.now ?? Date.now(),
    hours: context.hours ?? sessionHours(),
    password: context.password ?? (await appSecret("app-password")),
  };
}

const hashId = (id: string) => createHash("sha256").update(id).digest("base64url");

const tags = new Map<string, string>();

/**
 * Names the password a session was made under. A password hash, not a plain digest: the
 * table (and its backups) must not offer a fast way to guess `APP_PASSWORD`. Once per password.
 */
export function passwordTag(password: string): string {
  let tag = tags.get(password);
  if (!tag) {
    tag = scryptSync(password, "engagement-viewer session password tag v1", 32).toString(
      "base64url",
    );
    tags.clear();
    tags.set(password, tag);
  }
  return tag;
}

/** The one rule: made under this password, and younger than both its expiry and `hours`. */
export function isLive(
  session: StoredSession | null,
  rule: { now: number; hours: number; tag: string },
): boolean {
  if (!session || session.passwordTag !== rule.tag) return false;
  return rule.now < session.expiresAt && rule.now < session.createdAt + rule.hours * HOUR_MS;
}

export type StartedSession = { id: string; maxAgeSeconds: number };

/** Signs in: prunes expired sessions, stores a new one, and answers the id for the cookie. */
export async function startSession(context: SessionContext = {}): Promise<StartedSession> {
  const { store, now, hours, password } = await resolve(context);
  await store.pruneSessions(now);
  const id = randomBytes(32).toString("base64url");
  await store.createSession({
    idHash: hashId(id),
    createdAt: now,
    expiresAt: now + hours * HOUR_MS,
    passwordTag: passwordTag(password),
  });
  // Never outlive the server's expiry, and never 0 (which would delete the cookie at once).
  return { id, maxAgeSeconds: Math.max(1, Math.floor(hours * 3600)) };
}

/** Whether a cookie's id names a live session. Storage faults reject (the caller answers 503). */
export async function checkSession(
  id: string | null | undefined,
  context: SessionContext = {},
): Promise<boolean> {
  if (!id || !ID_SHAPE.test(id)) return false;
  const { store, now, hours, password } = await resolve(context);
  const idHash = hashId(id);
  const session = await store.findSession(idHash);
  const tag = passwordTag(password);
  // Made under another password: ended, so going back to that password does not revive it.
  if (session && session.passwordTag !== tag) await store.endSession(idHash);
  return isLive(session, { now, hours, tag });
}

/** Signs out: the session's row is deleted, so no process accepts it again. */
export async function endSession(
  id: string | null | undefined,
  context: Pick<SessionContext, "store"> = {},
): Promise<{ ended: boolean }> {
  if (!id || !ID_SHAPE.test(id)) return { ended: false };
  return (context.store ?? getStore()).endSession(hashId(id));
}
