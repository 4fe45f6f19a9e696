import { sql } from "drizzle-orm";
import { DEFAULT_SUMMARY_TUNING, type SummaryTuning } from "../read-tuning";
import type { Store } from "../store";
import { createWriteHealth } from "../write-health";
import type { PgDatabase } from "./client";
import { connectPg } from "./connection";
import { logRefusal, writeDelivery } from "./ingest/write-delivery";
import { backupDatabase, pruneDeliveryBodies } from "./maintenance";
import { connectionPulses, listConnections } from "./queries/connections";
import {
  countDeliveriesByOutcome,
  deliveryFilterChoices,
  getDelivery,
  listDeliveries,
} from "./queries/deliveries";
import { countActivity } from "./queries/engagements/activity";
import { countEngagements } from "./queries/engagements/counts";
import { getEngagement } from "./queries/engagements/detail";
import { countFacets } from "./queries/engagements/facets";
import { hasAnyEngagement, listEngagements } from "./queries/engagements/list";
import { companyOpportunities } from "./queries/engagements/list";
import { countReferences } from "./queries/engagements/related";
import { namesFor } from "./queries/engagements/resolve";
import { summarize } from "./queries/engagements/summary";
import { connectionsOf, getRecord, searchRecords } from "./queries/records";
import { createSession, endSession, findSession, pruneSessions } from "./sessions";
import { keepSetting, readSetting } from "./settings";
import { withPgStorageErrors } from "./storage-errors";
import { redactDatabaseUrl } from "@/lib/config";

export type PgStoreOptions = { url: string; poolSize?: number; tuning?: Partial<SummaryTuning> };

/**
 * The Store on a PostgreSQL server. No writer thread: each delivery is its own transaction on a
 * pooled connection, and the database orders concurrent writers from any number of processes.
 */
export function createPgStore(options: PgStoreOptions): Store & { ready(): Promise<PgDatabase> } {
  const connection = connectPg(options.url, { max: options.poolSize });
  const tuning: SummaryTuning = { ...DEFAULT_SUMMARY_TUNING, ...options.tuning };
  const run = <T>(fn: (db: PgDatabase) => Promise<T>) =>
    withPgStorageErrors(async () => fn(await connection.ready()));
  // The smallest committed write: a transaction id, whose commit is flushed to the WAL.
  const writes = createWriteHealth(() =>
    run(async (db) => void (await db.execute(sql`select pg_current_xact_id()`))),
  );

  return {
    ready: connection.ready,
    ingestDelivery: (delivery) => writes.ingest(() => run((db) => writeDelivery(db, delivery))),
    logRefusal: (refusal) => run((db) => logRefusal(db, refusal)),
    listEngagements: (query) => run((db) => listEngagements(db, query)),
    summarizeEngagements: (query, chart) => run((db) => summarize(db, query, chart, tuning)),
    countEngagements: (query) => run((db) => countEngagements(db, query, tuning)),
    countFacets: (query) => run((db) => countFacets(db, query, tuning)),
    countActivity: (query, chart) => run((db) => countActivity(db, query, chart, tuning)),
    hasAnyEngagement: () => run((db) => hasAnyEngagement(db)),
    countReferences: (query, role, limit) => run((db) => countReferences(db, query, role, limit)),
    companyOpportunities: (company, conn) => run((db) => companyOpportunities(db, company, conn)),
    getEngagement: (id) => run((db) => getEngagement(db, id)),
    namesFor: (model, ids, conn) => run((db) => namesFor(db, model, ids, conn)),
    getRecord: (model, conn, id) => run((db) => getRecord(db, model, conn, id)),
    connectionsOf: (model, role, id) => run((db) => connectionsOf(db, model, role, id)),
    searchRecords: (model, q, conn) => run((db) => searchRecords(db, model, q, conn)),
    listDeliveries: (query) => run((db) => listDeliveries(db, query)),
    countDeliveriesByOutcome: (query) => run((db) => countDeliveriesByOutcome(db, query)),
    deliveryFilterChoices: () => run((db) => deliveryFilterChoices(db)),
    getDelivery: (id) => run((db) => getDelivery(db, id)),
    listConnections: (days) => run((db) => listConnections(db, days)),
    connectionPulses: () => run((db) => connectionPulses(db)),
    pruneDeliveryBodies: (beforeMs) => run((db) => pruneDeliveryBodies(db, beforeMs)),
    backup: (destination) => run(() => backupDatabase(options.url, destination)),
    readSetting: (name) => run((db) => readSetting(db, name)),
    keepSetting: (name, proposed) => run((db) => keepSetting(db, name, proposed)),
    createSession: (session) => run((db) => createSession(db, session)),
    findSession: (idHash) => run((db) => findSession(db, idHash)),
    endSession: (idHash) => run((db) => endSession(db, idHash)),
    pruneSessions: (nowMs) => run((db) => pruneSessions(db, nowMs)),
    checkHealth: () => run(async (db) => void (await db.execute(sql`select 1`))).then(writes.check),
    describe: () => `${redactDatabaseUrl(options.url)} (PostgreSQL)`,
    close: () => connection.close(),
  };
}
