import type { Store } from "../store";
import type { EngagementQuery } from "../types";
import { createWriteHealth } from "../write-health";
import { openDatabase, type AppDatabase } from "./client";
import { createInlineWriter, createThreadWriter, type DeliveryWriter } from "./ingest/writer";
import { logRefusal } from "./ingest/write-delivery";
import { backupDatabase, pruneDeliveryBodies } from "./maintenance";
import { get } from "./prepared";
import { connectionPulses, listConnections } from "./queries/connections";
import {
  countDeliveriesByOutcome,
  deliveryFilterChoices,
  getDelivery,
  listDeliveries,
} from "./queries/deliveries";
import { countActivity } from "./queries/engagements/activity";
import { createReadContext, DEFAULT_TUNING, type ReadTuning } from "./queries/engagements/context";
import { countEngagements } from "./queries/engagements/counts";
import { getEngagement } from "./queries/engagements/detail";
import { countFacets } from "./queries/engagements/facets";
import {
  companyOpportunities,
  hasAnyEngagement,
  listEngagements,
} from "./queries/engagements/list";
import { countReferences } from "./queries/engagements/related";
import { namesFor } from "./queries/engagements/resolve";
import { summarize } from "./queries/engagements/summary";
import { connectionsOf, getRecord, searchRecords } from "./queries/records";
import { createSession, endSession, findSession, pruneSessions } from "./sessions";
import { keepSetting, readSetting } from "./settings";
import { probeWrite, withStorageErrors } from "./storage-errors";
import { createSummaryThread } from "./summary-thread";
import { sql } from "drizzle-orm";

export type SqliteStoreOptions = {
  /** The database file, opened and migrated here; or `db`, a connection already open. */
  file?: string;
  db?: AppDatabase;
  /** "thread": deliveries are written by a thread of their own (group commit beside the server). */
  writer?: "thread" | "inline";
  /** "thread": list summaries are computed on a thread of their own. */
  summaries?: "thread" | "inline";
  tuning?: Partial<ReadTuning>;
};

/** The Store on one SQLite file: reads on this connection, writes through one writer. */
export function createSqliteStore(options: SqliteStoreOptions): Store & { db: AppDatabase } {
  const db = options.db ?? openDatabase(options.file!);
  const file = db.$client.name;
  const onDisk = file !== ":memory:";
  const tuning: ReadTuning = { ...DEFAULT_TUNING, ...options.tuning };
  const inline = createInlineWriter(db);
  const writer: DeliveryWriter =
    options.writer === "thread" && onDisk ? createThreadWriter(file, { fallback: inline }) : inline;
  const context = (query: EngagementQuery) => createReadContext(db, query, tuning);
  const here = (query: EngagementQuery, chart: Parameters<typeof summarize>[1]) =>
    summarize(context(query), chart);
  const summaries =
    (options.summaries ?? "thread") === "thread" && onDisk
      ? createSummaryThread({ databaseFile: file, tuning }, here)
      : null;
  // Reads are synchronous under the promise: a storage fault rejects it.
  const read = <T>(fn: () => T) => new Promise<T>((resolve) => resolve(withStorageErrors(fn)));
  const writes = createWriteHealth(async () => probeWrite(db.$client));

  return {
    db,
    ingestDelivery: (delivery) => writes.ingest(() => writer.submit(delivery)),
    logRefusal: (refusal) => read(() => logRefusal(db, refusal)),
    listEngagements: (query) => read(() => listEngagements(context(query))),
    summarizeEngagements: (query, chart) =>
      summaries ? summaries.summarize(query, chart) : read(() => here(query, chart)),
    countEngagements: (query) => read(() => countEngagements(context(query))),
    countFacets: (query) => read(() => countFacets(context(query))),
    countActivity: (query, chart) => read(() => countActivity(context(query), chart)),
    hasAnyEngagement: () => read(() => hasAnyEngagement(db)),
    countReferences: (query, role, limit) =>
      read(() => countReferences(context(query), role, limit)),
    companyOpportunities: (company, connection) =>
      read(() => companyOpportunities(db, company, connection)),
    getEngagement: (id) => read(() => getEngagement(db, id)),
    namesFor: (model, ids, connection) => read(() => namesFor(db, model, ids, connection)),
    getRecord: (model, connection, id) => read(() => getRecord(db, model, connection, id)),
    connectionsOf: (model, role, id) => read(() => connectionsOf(db, model, role, id)),
    searchRecords: (model, q, connection) => read(() => searchRecords(db, model, q, connection)),
    listDeliveries: (query) => read(() => listDeliveries(db, query)),
    countDeliveriesByOutcome: (query) => read(() => countDeliveriesByOutcome(db, query)),
    deliveryFilterChoices: () => read(() => deliveryFilterChoices(db)),
    getDelivery: (id) => read(() => getDelivery(db, id)),
    listConnections: (days) => read(() => listConnections(db, days)),
    connectionPulses: () => read(() => connectionPulses(db)),
    pruneDeliveryBodies: (beforeMs) => read(() => pruneDeliveryBodies(db, beforeMs)),
    backup: (destination) => backupDatabase(db, destination),
    readSetting: async (name) => readSetting(file, name),
    keepSetting: async (name, proposed) => keepSetting(file, name, proposed),
    createSession: (session) => read(() => createSession(db, session)),
    findSession: (idHash) => read(() => findSession(db, idHash)),
    endSession: (idHash) => read(() => endSession(db, idHash)),
    pruneSessions: (nowMs) => read(() => pruneSessions(db, nowMs)),
    checkHealth: () => read(() => void get(db, sql`select 1`)).then(writes.check),
    describe: () => `${file} (SQLite, migrated)`,
    async close() {
      await Promise.all([writer.close(), summaries?.close()]);
      db.$client.close();
    },
  };
}
