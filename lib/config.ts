import path from "node:path";

/** `DATABASE_URL` as a file path: a leading `file:` is allowed, default `./data/app.db`. */
export function resolveDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.DATABASE_URL?.trim() || "./data/app.db";
  const withoutScheme = raw.startsWith("file:") ? raw.slice("file:".length) : raw;
  return withoutScheme === ":memory:" ? withoutScheme : path.resolve(withoutScheme);
}

/** Secrets generated at first start live beside the database, so one data folder is one install. */
export function secretFilePath(name: "webhook-secret" | "app-password", databasePath: string) {
  const dir = databasePath === ":memory:" ? path.resolve("data") : path.dirname(databasePath);
  return path.join(dir, name);
}

export function isEnabled(value: string | undefined): boolean {
  return value === "1" || value?.toLowerCase() === "true";
}

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Who writes deliveries: a thread of their own in production (`next start`), the request's
 * thread elsewhere (tests, `next dev`). INGEST_WRITER=worker|inline overrides the choice.
 */
export function writerMode(env: NodeJS.ProcessEnv = process.env): "thread" | "inline" {
  const mode = env.INGEST_WRITER ?? (env.NODE_ENV === "production" ? "worker" : "inline");
  return mode === "worker" ? "thread" : "inline";
}

/** How long the delivery log keeps raw bodies (`LOG_RETENTION_DAYS`, default 90). */
export function retentionDays(env: NodeJS.ProcessEnv = process.env): number {
  const days = Number(env.LOG_RETENTION_DAYS);
  return Number.isFinite(days) && days > 0 ? days : 90;
}
