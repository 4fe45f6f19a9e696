import { createHash } from "node:crypto";
import fs from "node:fs";
import { getTableColumns } from "drizzle-orm";
import type Database from "better-sqlite3";
import { DELETE_CHANGES, diffVersions, versionState } from "@/db/history";
import { buildEngagementColumns } from "@/db/rules";
import { openDatabase } from "@/db/sqlite/client";
import { engagementHistory, engagementRefs, engagements, records } from "@/db/schema";
import { normalizeEngagementFields, normalizeRecordFields } from "@/lib/morph/fields";
import {
  companyFields,
  contactFields,
  createRng,
  createWorld,
  engagementSnapshot,
  opportunityFields,
  pickType,
  userFields,
  workdayTime,
  type World,
} from "./world";

export type SeedOptions = {
  file: string;
  count: number;
  seed?: number;
  now?: number;
  /**
   * "rebuild": drop the FTS and counter triggers, rebuild the index and engagement_counts once at
   * the end; "triggers": keep them. Same size either way; rebuild loaded 200k engagements at
   * 20.9k/s against 15.3k/s.
   */
  fts?: "rebuild" | "triggers";
  /** Connections the engagements are spread over, `connector:owner`; the first gets most of them. */
  connections?: string[];
  onProgress?: (done: number, total: number) => void;
};

export type SeedStats = {
  engagements: number;
  refs: number;
  records: number;
  deleted: number;
  seconds: number;
  phases: Record<string, number>;
  engagementsPerSecond: number;
  rowsPerSecond: number;
  bytes: number;
  bytesPerEngagement: number;
  sizeByObject: { name: string; bytes: number }[];
};

export const BULK_WORLD = { users: 50, contacts: 20_000, companies: 5_000, opportunities: 3_000 };
export const DEFAULT_CONNECTIONS = ["hubspot:acme-prod", "salesforce:globex-eu"];
const DAY = 86_400_000;
const BATCH = 200;

/** The columns as the schema names them, so the bulk path can't drift from what ingest() writes. */
function columnsOf(table: Parameters<typeof getTableColumns>[0], skip: string[] = []) {
  return Object.entries(getTableColumns(table))
    .filter(([key]) => !skip.includes(key))
    .map(([key, column]) => ({ key, name: column.name }));
}

function multiRowInsert(sqlite: Database.Database, table: string, columns: string[], rows: number) {
  const tuple = `(${columns.map(() => "?").join(",")})`;
  return sqlite.prepare(
    `INSERT INTO ${table} (${columns.join(",")}) VALUES ${Array.from({ length: rows }, () => tuple).join(",")}`,
  );
}

/** Buffers rows and writes them BATCH at a time through one prepared multi-row INSERT. */
function batchedWriter(sqlite: Database.Database, table: string, columns: string[]) {
  const full = multiRowInsert(sqlite, table, columns, BATCH);
  let buffer: unknown[] = [];
  let rows = 0;
  let written = 0;
  return {
    push(values: unknown[]) {
      for (const v of values) buffer.push(v);
      if (++rows === BATCH) {
        full.run(buffer);
        written += rows;
        buffer = [];
        rows = 0;
      }
    },
    flush() {
      if (rows > 0) multiRowInsert(sqlite, table, columns, rows).run(buffer);
      written += rows;
      buffer = [];
      rows = 0;
    },
    get written() {
      return written;
    },
  };
}

function hashOf(value: unknown) {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url");
}

const iso = (ms: number) => new Date(ms).toISOString();

function writeRecords(sqlite: Database.Database, world: World, connections: string[], now: number) {
  const cols = columnsOf(records, ["id"]);
  const writer = batchedWriter(
    sqlite,
    "records",
    cols.map((c) => c.name),
  );
  const created = now - 800 * DAY;
  const all: {
    model: "genericUser" | "genericContact" | "genericCompany" | "crmOpportunity";
    id: string;
    fields: Record<string, unknown>;
  }[] = [
    ...world.users.map((u) => ({ model: "genericUser" as const, id: u.id, fields: userFields(u) })),
    ...world.contacts.map((c) => ({
      model: "genericContact" as const,
      id: c.id,
      fields: contactFields(c),
    })),
    ...world.companies.map((c) => ({
      model: "genericCompany" as const,
      id: c.id,
      fields: companyFields(c),
    })),
    ...world.opportunities.map((o) => ({
      model: "crmOpportunity" as const,
      id: o.id,
      fields: opportunityFields(world, o),
    })),
  ];
  for (const connection of connections) {
    const [connectorId, connectionOwnerId] = connection.split(":") as [string, string];
    for (const record of all) {
      const normalized = normalizeRecordFields(record.model, record.fields);
      // The same hash ingest() computes for a record snapshot, so a redelivery is "unchanged".
      const contentHash = hashOf([record.fields, iso(created), iso(created)]);
      const row: Record<string, unknown> = {
        connectorId,
        connectionOwnerId,
        model: record.model,
        externalId: record.id,
        name: normalized.name,
        email: normalized.email,
        phone: normalized.phone,
        fields: JSON.stringify(record.fields),
        warnings: JSON.stringify(normalized.warnings),
        createdAt: created,
        updatedAt: created,
        deletedAt: null,
        contentHash,
        ingestedAt: now,
      };
      writer.push(cols.map((c) => row[c.key]));
    }
  }
  writer.flush();
  return writer.written;
}

/** Indexes and triggers to drop during the load and recreate after, exactly as the migrations made them. */
function deferredObjects(sqlite: Database.Database, fts: "rebuild" | "triggers") {
  const rows = sqlite
    .prepare(
      `SELECT type, name, sql FROM sqlite_master
       WHERE sql IS NOT NULL AND tbl_name IN ('engagements', 'engagement_refs')
         AND (type = 'index' OR (type = 'trigger' AND ?))`,
    )
    .all(fts === "rebuild" ? 1 : 0) as { type: string; name: string; sql: string }[];
  return rows;
}

/**
 * Fills a database with a realistic dataset through the project's own schema and migrations:
 * the same columns, ref rows (startedAt copied) and named records that ingest() would write,
 * so every page resolves names, and each engagement's history as ingest() would (its first
 * version, and its delete), with no delivery behind it. Delivery log rows are not written: a bulk
 * load is not a delivery.
 */
export function seedBulk(options: SeedOptions): SeedStats {
  const now = options.now ?? Date.now();
  const fts = options.fts ?? "rebuild";
  const connections = options.connections ?? DEFAULT_CONNECTIONS;
  const phases: Record<string, number> = {};
  let mark = performance.now();
  const phase = (name: string) => {
    const t = performance.now();
    phases[name] = Math.round(t - mark) / 1000;
    mark = t;
  };
  const started = performance.now();

  const db = openDatabase(options.file);
  const sqlite = db.$client;
  const existing = sqlite.prepare("SELECT count(*) AS n FROM engagements").get() as { n: number };
  if (existing.n > 0) {
    sqlite.close();
    throw new Error(`${options.file} already holds ${existing.n} engagements: seed a new file.`);
  }
  // A bulk load into a fresh file: if it dies half way, the file is thrown away, so skip the journal.
  sqlite.pragma("journal_mode = OFF");
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("cache_size = -262144");
  sqlite.pragma("temp_store = MEMORY");
  sqlite.pragma("foreign_keys = OFF");
  const deferred = deferredObjects(sqlite, fts);
  for (const object of deferred) sqlite.exec(`DROP ${object.type.toUpperCase()} ${object.name}`);
  phase("open");

  const rng = createRng(options.seed ?? 42);
  const world = createWorld(rng, BULK_WORLD);
  const recordCount = sqlite.transaction(() => writeRecords(sqlite, world, connections, now))();
  phase("records");

  // Start times over two years, in order: a backfill arrives roughly chronologically.
  const times = new Float64Array(options.count);
  for (let i = 0; i < options.count; i++) times[i] = workdayTime(rng, now, 730, 0.01);
  times.sort();

  const engagementCols = columnsOf(engagements);
  const refCols = columnsOf(engagementRefs);
  const engagementWriter = batchedWriter(
    sqlite,
    "engagements",
    engagementCols.map((c) => c.name),
  );
  const refWriter = batchedWriter(
    sqlite,
    "engagement_refs",
    refCols.map((c) => c.name),
  );
  const historyCols = columnsOf(engagementHistory);
  const historyWriter = batchedWriter(
    sqlite,
    "engagement_history",
    historyCols.map((c) => c.name),
  );
  const writeVersion = (version: Record<string, unknown>) =>
    historyWriter.push(historyCols.map((c) => version[c.key]));
  const firstId =
    ((sqlite.prepare("SELECT max(id) AS m FROM engagements").get() as { m: number | null }).m ??
      0) + 1;
  let deleted = 0;
  const chunk = 50_000;
  for (let from = 0; from < options.count; from += chunk) {
    const to = Math.min(options.count, from + chunk);
    sqlite.transaction(() => {
      for (let i = from; i < to; i++) {
        const id = firstId + i;
        const externalId = String(1_000_000 + i);
        const connection = connections[i % 5 === 4 && connections.length > 1 ? 1 : 0]!;
        const [connectorId, connectionOwnerId] = connection.split(":") as [string, string];
        const snapshot = engagementSnapshot(rng, world, {
          id: externalId,
          type: pickType(rng),
          startedAt: times[i]!,
          now,
        });
        // The envelope's data as ingest() hashes it (same keys, same order as the parsed event).
        const data = {
          object: "resource",
          model: "crmEngagement",
          id: externalId,
          fields: snapshot.fields,
          createdAt: iso(snapshot.createdAt),
          updatedAt: iso(snapshot.updatedAt),
          rawResource: null,
          warnings: [],
        };
        const normalized = normalizeEngagementFields(snapshot.fields);
        const startedAt = normalized.startedAt ?? snapshot.createdAt;
        const tombstone = rng.chance(0.02);
        if (tombstone) deleted++;
        const deletedAt = tombstone ? Math.min(now, snapshot.updatedAt + 3 * DAY) : null;
        const columns = buildEngagementColumns({
          model: "crmEngagement",
          externalId,
          version: snapshot.updatedAt,
          createdAt: snapshot.createdAt,
          snapshot: { normalized, fields: snapshot.fields, contentHash: hashOf(data) },
          expanded: [],
          warnings: normalized.warnings,
        });
        const row: Record<string, unknown> = {
          id,
          connectorId,
          connectionOwnerId,
          externalId,
          ...columns,
          startedAt,
          createdAt: snapshot.createdAt,
          updatedAt: deletedAt ?? snapshot.updatedAt,
          deletedAt,
          fields: JSON.stringify(columns.fields),
          warnings: JSON.stringify(normalized.warnings),
          contentHash: hashOf(data),
          ingestedAt: now,
        };
        engagementWriter.push(engagementCols.map((c) => row[c.key]));
        for (const ref of normalized.refs) {
          refWriter.push([id, ref.role, ref.refId, ref.position, startedAt]);
        }
        const first = { engagementId: id, deliveryId: null, receivedAt: now };
        const state = versionState({ ...columns, startedAt }, normalized.refs, false);
        const changes = diffVersions(null, state);
        writeVersion({
          ...first,
          version: 1,
          event: "crmEngagement::created",
          updatedAt: snapshot.updatedAt,
          changes,
        });
        if (deletedAt !== null) {
          writeVersion({
            ...first,
            version: 2,
            event: "crmEngagement::deleted",
            updatedAt: deletedAt,
            changes: DELETE_CHANGES,
          });
        }
      }
      engagementWriter.flush();
      refWriter.flush();
      historyWriter.flush();
    })();
    options.onProgress?.(to, options.count);
  }
  phase("engagements");

  for (const object of deferred.filter((o) => o.type === "index")) sqlite.exec(object.sql);
  phase("indexes");
  if (fts === "rebuild") {
    sqlite.exec("INSERT INTO engagements_fts(engagements_fts) VALUES ('rebuild')");
    // The counter triggers were dropped too: count once, as migration 0004 back-fills.
    sqlite.exec(`DELETE FROM engagement_counts;
      INSERT INTO engagement_counts (connector_id, connection_owner_id, owner_id, type, status, direction, deleted, n)
        SELECT connector_id, connection_owner_id, owner_id, type, status, direction, deleted_at IS NOT NULL, count(*)
        FROM engagements GROUP BY 1, 2, 3, 4, 5, 6, 7`);
    for (const object of deferred.filter((o) => o.type === "trigger")) sqlite.exec(object.sql);
    phase("fts");
  }
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  const sizeByObject = objectSizes(sqlite);
  sqlite.close();
  phase("close");

  const seconds = (performance.now() - started) / 1000;
  const bytes = fileBytes(options.file);
  const rows = options.count + refWriter.written + recordCount;
  return {
    engagements: options.count,
    refs: refWriter.written,
    records: recordCount,
    deleted,
    seconds,
    phases,
    engagementsPerSecond: options.count / seconds,
    rowsPerSecond: rows / seconds,
    bytes,
    bytesPerEngagement: bytes / Math.max(1, options.count),
    sizeByObject,
  };
}

function fileBytes(file: string) {
  let total = 0;
  for (const suffix of ["", "-wal", "-shm"]) {
    try {
      total += fs.statSync(file + suffix).size;
    } catch {}
  }
  return total;
}

/** Bytes per table and index (dbstat), to see where the space per engagement goes. */
function objectSizes(sqlite: Database.Database) {
  try {
    return sqlite
      .prepare(
        "SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 20",
      )
      .all() as { name: string; bytes: number }[];
  } catch {
    return [];
  }
}
