import path from "node:path";

/** Where the data lives: a SQLite file, or a PostgreSQL server. */
export type DatabaseTarget =
  { engine: "sqlite"; file: string } | { engine: "postgres"; url: string };

export class ConfigError extends Error {}

/**
 * `DATABASE_URL` read once: `postgres://…` / `postgresql://…` is a server, anything without a
 * scheme (or `file:`) is a SQLite file. Another scheme, or a URL that does not parse, is refused.
 */
export function databaseTarget(env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const raw = env.DATABASE_URL?.trim() ?? "";
  if (/^postgres(ql)?:\/\//i.test(raw)) {
    try {
      new URL(raw);
    } catch {
      throw new ConfigError(
        "DATABASE_URL is not a valid URL; expected postgres://user:password@host:port/database.",
      );
    }
    return { engine: "postgres", url: raw };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1];
  if (scheme && scheme.toLowerCase() !== "file") {
    throw new ConfigError(
      `DATABASE_URL has the scheme "${scheme}:"; expected a SQLite file path (file: allowed) or postgres://…`,
    );
  }
  return { engine: "sqlite", file: resolveDatabasePath(env) };
}

/** A PostgreSQL URL with its password masked, for logs and the start banner. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    if (parsed.searchParams.has("password")) parsed.searchParams.set("password", "***");
    return parsed.toString();
  } catch {
    return "postgres://…";
  }
}

/** `DATABASE_URL` as a file path: a leading `file:` is allowed, default `./data/app.db`. */
export function resolveDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.DATABASE_URL?.trim() || "./data/app.db";
  const withoutScheme = raw.startsWith("file:") ? raw.slice("file:".length) : raw;
  return withoutScheme === ":memory:" ? withoutScheme : path.resolve(withoutScheme);
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

/** How long a UI session lasts after sign-in (`APP_SESSION_HOURS`, default 168; fractions allowed). */
export function sessionHours(env: NodeJS.ProcessEnv = process.env): number {
  const hours = Number(env.APP_SESSION_HOURS);
  return Number.isFinite(hours) && hours > 0 ? hours : 168;
}

/**
 * Hours without a delivery after which a connection is flagged silent
 * (`CONNECTION_SILENCE_HOURS`, default 24, fractions allowed); 0 turns the flag off.
 */
export function connectionSilenceHours(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CONNECTION_SILENCE_HOURS?.trim();
  const hours = raw ? Number(raw) : NaN;
  return Number.isFinite(hours) && hours >= 0 ? hours : 24;
}
