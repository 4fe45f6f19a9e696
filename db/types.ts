import type { DeliveryOutcome, RecordModel, RefRole } from "./models";

/** What the app asks of storage, and what it gets back: plain data, the same on every engine. */

export type Connection = { connectorId: string; connectionOwnerId: string };

export type EngagementCursor = { startedAt: number; id: number };

export type DeletedMode = "hide" | "include" | "only";

/** An engagement filter, parsed: ids, instants and a decoded cursor (lib/filters builds it). */
export type EngagementQuery = {
  owner: string | null;
  contact: string | null;
  company: string | null;
  opportunity: string | null;
  user: string | null;
  type: string[];
  direction: string[];
  status: string[];
  /** Inclusive bounds on startedAt, epoch ms. */
  fromMs: number | null;
  toMs: number | null;
  text: string | null;
  /** With `company`: also the engagements on that company's opportunities (db/rollup.ts). */
  rollup: boolean;
  connection: Connection | null;
  deleted: DeletedMode;
  newestFirst: boolean;
  limit: number;
  after: EngagementCursor | null;
};

/**
 * The chart's days: day numbers in the viewer's zone (`offsetMs` from UTC at `fromMs`, then each
 * of `shifts` from its instant on: a DST change inside the window), and their instants.
 */
export type ActivityWindow = {
  offsetMs: number;
  shifts?: readonly { atMs: number; offsetMs: number }[];
  startDay: number;
  endDay: number;
  fromMs: number;
  toMs: number;
};

export type Ref = {
  model: RecordModel;
  id: string;
  resolved: boolean;
  name: string | null;
  [field: string]: unknown;
};

export type EngagementView = {
  id: string;
  externalId: string;
  connectorId: string;
  connectionOwnerId: string;
  type: string | null;
  direction: string | null;
  status: string | null;
  title: string | null;
  description: string | null;
  startedAt: string;
  endedAt: string | null;
  duration: number | null;
  createdAt: string | null;
  updatedAt: string;
  deletedAt: string | null;
  owner: Ref | null;
  users: Ref[];
  contacts: Ref[];
  companies: Ref[];
  opportunities: Ref[];
  warnings: string[];
  /** With `rollup`, on a row included only through the company's opportunities (db/rollup.ts). */
  via?: ViaRef[];
};

/** A record and how many of a query's engagements reference it. */
export type RefCount = { id: string; count: number };

export type ViaRef = { model: "crmOpportunity"; id: string; name: string | null };

export type EngagementPage = { data: EngagementView[]; next: EngagementCursor | null };

export type DeliveryTouch = {
  id: number;
  receivedAt: string;
  event: string | null;
  outcome: DeliveryOutcome;
  httpStatus: number;
  idempotencyKey: string | null;
  warnings: string[];
  repeatCount: number;
};

/** One compared field of a version (db/history.ts): instants as ISO 8601, references as ids. */
export type FieldChange = { field: string; from: unknown; to: unknown };

/** An applied version of an engagement; `deliveryId` null when no delivery made it. */
export type HistoryEntry = {
  deliveryId: number | null;
  receivedAt: string;
  event: string | null;
  updatedAt: string;
  changes: FieldChange[];
};

export type EngagementDetail = EngagementView & {
  fields: Record<string, unknown>;
  deliveries: DeliveryTouch[];
  /** Its applied versions, oldest first. */
  history: HistoryEntry[];
};

export type EngagementCount = {
  count: number;
  capped: boolean;
};

export type FacetValue = { value: string | null; count: number; name?: string | null };
export type Facets = {
  type: FacetValue[];
  status: FacetValue[];
  direction: FacetValue[];
  owner: FacetValue[];
  /** Some facet counts only the newest `sampled` of its matches. */
  capped: boolean;
  sampled: number | null;
};

/** `partial`: the day is older than the newest `sampled` matches, or holds the oldest. */
export type ActivityDay = { day: string; count: number; partial?: true };

export type Activity = {
  days: ActivityDay[];
  /** More matches in the window than were counted: the oldest days are `partial`. */
  capped: boolean;
  sampled: number | null;
};

export type Summary = { count: EngagementCount; facets: Facets; activity: Activity };

export type RecordView = {
  model: RecordModel;
  id: string;
  connectorId: string;
  connectionOwnerId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  fields: Record<string, unknown>;
  warnings: string[];
  updatedAt: string;
  deletedAt: string | null;
  /** False for a record known only from a delete that came before any snapshot. */
  synced: boolean;
};

export type RecordSuggestion = {
  model: RecordModel;
  id: string;
  name: string | null;
  email: string | null;
  connection: Connection;
};

export type DeliveryQuery = {
  outcome: DeliveryOutcome[];
  event: string[];
  connection: Connection | null;
  key: string | null;
  resource: string | null;
  fromMs: number | null;
  toMs: number | null;
  limit: number;
  before: number | null;
};

/** One log row as the list shows it (and as GET /api/deliveries returns it): no body. */
export type DeliverySummary = {
  id: number;
  receivedAt: string;
  connectorId: string | null;
  connectionOwnerId: string | null;
  idempotencyKey: string | null;
  event: string | null;
  model: string | null;
  resourceId: string | null;
  engagementId: number | null;
  outcome: DeliveryOutcome;
  httpStatus: number;
  error: DeliveryError | null;
  warnings: string[];
  durationMs: number;
  bodyBytes: number | null;
  repeatCount: number;
  lastRepeatAt: string | null;
  originalDeliveryId: number | null;
};

export type DeliveryPage = { data: DeliverySummary[]; next: number | null };

export type DeliveryDetail = DeliverySummary & {
  headers: Record<string, string>;
  body: string | null;
  /** What the sender got back (an accepted event's response is its own body). */
  response: string | null;
  original: DeliverySummary | null;
  repeats: DeliverySummary[];
  engagement: {
    id: number;
    externalId: string;
    title: string | null;
    type: string | null;
    deletedAt: string | null;
  } | null;
  /** The version of the engagement this delivery made (1 for the first), null when none. */
  version: number | null;
};

export type DeliveryError = { code: string; message: string; details?: unknown };

export type DeliveryMeta = {
  connectorId: string;
  connectionOwnerId: string;
  idempotencyKey: string;
  /** The headers worth keeping in the log (credentials never among them). */
  headers: Record<string, string>;
  receivedAt: number;
};

/** What a delivery says it is about, for the log's filters (even when it is refused). */
export type DeliveryAbout = {
  event: string | null;
  model: string | null;
  resourceId: string | null;
};

export type DeliveryFailure = DeliveryError & { status: number };

export type EngagementRefRow = { role: RefRole; refId: string; position: number };

/** An engagement snapshot's `fields` read leniently (lib/morph/fields.ts). */
export type NormalizedEngagement = {
  type: string | null;
  direction: string | null;
  status: string | null;
  title: string | null;
  description: string | null;
  startedAt: number | null;
  endedAt: number | null;
  duration: number | null;
  ownerId: string | null;
  refs: EngagementRefRow[];
  warnings: string[];
};

/** A user, contact, company or opportunity snapshot (or delete), with what it embeds. */
export type RecordChange = {
  model: RecordModel;
  externalId: string;
  /** Morph's `data.updatedAt` (else the receipt time): newest wins. */
  version: number;
  createdAt: number | null;
  snapshot: {
    name: string | null;
    email: string | null;
    phone: string | null;
    fields: Record<string, unknown>;
    contentHash: string;
  } | null;
  /** Records carried inside this one (expanded references), stored whatever happens to it. */
  expanded: RecordChange[];
  warnings: string[];
};

export type EngagementChange = {
  model: "crmEngagement";
  externalId: string;
  version: number;
  createdAt: number | null;
  /** Null for a delete. */
  snapshot: {
    normalized: NormalizedEngagement;
    fields: Record<string, unknown>;
    contentHash: string;
  } | null;
  expanded: RecordChange[];
  warnings: string[];
};

/** A delivery as lib/ingest read it: plain data, so it can cross to a writer thread. */
export type IncomingDelivery = {
  meta: DeliveryMeta;
  rawBody: string;
  bodyHash: string;
  about: DeliveryAbout;
  /** Milliseconds spent reading it before storage; the log's processing time includes them. */
  readMs: number;
  change: EngagementChange | RecordChange | { refused: DeliveryFailure };
};

export type DeliveryResult = {
  status: number;
  body: string;
  outcome: DeliveryOutcome;
  deliveryId: number;
};

export type DeliveryAnswer =
  { ok: true; result: DeliveryResult } | { ok: false; error: DeliveryFailure };

/** A request refused before it could be read as a delivery (headers, size, content type). */
export type Refusal = {
  connectorId: string | null;
  connectionOwnerId: string | null;
  idempotencyKey: string | null;
  headers: Record<string, string>;
  receivedAt: number;
  rawBody: string | null;
  bodyHash: string | null;
  about: DeliveryAbout;
  error: DeliveryFailure;
};

/** Values one install shares across its processes: generated secrets. */
export type SettingName = "webhook-secret" | "app-password";

export type KeptSetting = { value: string; created: boolean; where: string };

/** A UI session as stored: the SHA-256 of its cookie's id (never the id), and the password's tag. */
export type StoredSession = {
  idHash: string;
  createdAt: number;
  expiresAt: number;
  passwordTag: string;
};
