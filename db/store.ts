import type { ConnectionPulse, ConnectionStats, DeliveryDays } from "./connection-views";
import type { RecordModel, RefRole, DeliveryOutcome } from "./models";
import type { CompanyOpportunity } from "./rollup";
import type {
  Activity,
  ActivityWindow,
  Connection,
  DeliveryAnswer,
  DeliveryDetail,
  DeliveryPage,
  DeliveryQuery,
  EngagementCount,
  EngagementDetail,
  EngagementPage,
  EngagementQuery,
  Facets,
  IncomingDelivery,
  KeptSetting,
  RecordSuggestion,
  RecordView,
  RefCount,
  Refusal,
  SettingName,
  StoredSession,
  Summary,
} from "./types";

/**
 * Everything the app asks of its database. Each engine implements it (db/sqlite today) and
 * carries out db/rules.ts in its own SQL. A storage fault rejects with StorageUnavailableError.
 */
export interface Store {
  /** Applies and logs a delivery; answers only once it is committed. */
  ingestDelivery(delivery: IncomingDelivery): Promise<DeliveryAnswer>;
  /** Logs a request refused before it could be read as a delivery. */
  logRefusal(refusal: Refusal): Promise<void>;

  listEngagements(query: EngagementQuery): Promise<EngagementPage>;
  /** Count, facets and chart together, as the list page shows them. */
  summarizeEngagements(query: EngagementQuery, chart: ActivityWindow): Promise<Summary>;
  countEngagements(query: EngagementQuery): Promise<EngagementCount>;
  countFacets(query: EngagementQuery): Promise<Facets>;
  countActivity(query: EngagementQuery, chart: ActivityWindow): Promise<Activity>;
  hasAnyEngagement(): Promise<boolean>;
  /** The records of `role` the query's engagements reference most (a company's contacts). */
  countReferences(query: EngagementQuery, role: RefRole, limit: number): Promise<RefCount[]>;
  /** A company's live opportunities: those whose own `companies` list holds it (db/rollup.ts). */
  companyOpportunities(
    company: string,
    connection: Connection | null,
  ): Promise<CompanyOpportunity[]>;
  getEngagement(id: number): Promise<EngagementDetail | null>;
  /** Display names for ids of one model, preferring the given connection's record. */
  namesFor(
    model: RecordModel,
    ids: string[],
    connection: Connection | null,
  ): Promise<Map<string, string | null>>;

  getRecord(
    model: RecordModel,
    connection: Connection,
    externalId: string,
  ): Promise<RecordView | null>;
  /** The connections an id is known in, as a record or as a reference. */
  connectionsOf(model: RecordModel, role: RefRole, externalId: string): Promise<Connection[]>;
  searchRecords(
    model: RecordModel,
    q: string,
    connection: Connection | null,
  ): Promise<RecordSuggestion[]>;

  listDeliveries(query: DeliveryQuery): Promise<DeliveryPage>;
  countDeliveriesByOutcome(query: DeliveryQuery): Promise<Partial<Record<DeliveryOutcome, number>>>;
  deliveryFilterChoices(): Promise<{ events: string[]; connections: Connection[] }>;
  getDelivery(id: number): Promise<DeliveryDetail | null>;

  /** Every connection seen (deliveries, engagements, records), with deliveries per day of `days`. */
  listConnections(days: DeliveryDays): Promise<ConnectionStats[]>;
  /** Each connection that sent deliveries: its last arrival and how its newest ones went. */
  connectionPulses(): Promise<ConnectionPulse[]>;

  /** Drops raw bodies of deliveries received before `beforeMs`; rows and keys stay. */
  pruneDeliveryBodies(beforeMs: number): Promise<{ pruned: number }>;
  backup(destination: string): Promise<{ destination: string; bytes: number }>;
  /** A shared setting, or null when none is kept. */
  readSetting(name: SettingName): Promise<string | null>;
  /** Keeps `proposed` unless a value is kept already; answers the kept one. */
  keepSetting(name: SettingName, proposed: string): Promise<KeptSetting>;
  /** UI sessions, read from the database every time: a sign-out holds on every process at once. */
  createSession(session: StoredSession): Promise<void>;
  findSession(idHash: string): Promise<StoredSession | null>;
  endSession(idHash: string): Promise<{ ended: boolean }>;
  /** Drops sessions that expired at or before `nowMs`. */
  pruneSessions(nowMs: number): Promise<{ pruned: number }>;
  /** Resolves when the database answers; rejects with StorageUnavailableError when not. */
  checkHealth(): Promise<void>;
  /** Where the data lives, for the start banner. */
  describe(): string;
  close(): Promise<void>;
}
