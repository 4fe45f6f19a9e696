import { createHash } from "node:crypto";
import type { RecordModel } from "@/db/models";
import type {
  DeliveryAbout,
  DeliveryFailure,
  DeliveryMeta,
  EngagementChange,
  IncomingDelivery,
  NormalizedEngagement,
  RecordChange,
} from "@/db/types";
import { HttpError } from "@/lib/http-error";
import {
  normalizeEngagementFields,
  normalizeRecordFields,
  parseTimestamp,
  type ExpandedRecord,
} from "@/lib/morph/fields";
import { describeIssues, type MorphEvent } from "@/lib/morph/schemas";
import { parseEnvelope } from "./envelope";

type Parsed = { ok: true; event: MorphEvent } | { ok: false; failure: DeliveryFailure };

export function parseDeliveryBody(rawBody: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      failure: new HttpError(400, "invalid_json", `Body is not valid JSON: ${reason}`).failure,
    };
  }
  const parsed = parseEnvelope(json);
  if (!parsed.success) {
    const message = "The body is not a Morph event this endpoint accepts.";
    const details = describeIssues(parsed.error);
    return { ok: false, failure: new HttpError(422, "invalid_event", message, details).failure };
  }
  return { ok: true, event: parsed.data };
}

export function hashBody(rawBody: string) {
  return createHash("sha256").update(rawBody).digest("hex");
}

function hashOf(value: unknown) {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url");
}

/** What a body says it is about; a rejected one may still say, for the log's filters. */
export function peekDelivery(rawBody: string | null, event?: MorphEvent): DeliveryAbout {
  if (event) return { event: event.event, model: event.model, resourceId: event.data.id };
  try {
    const json = JSON.parse(rawBody ?? "") as {
      event?: unknown;
      data?: { model?: unknown; id?: unknown };
    };
    const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : null);
    return {
      event: str(json?.event),
      model: str(json?.data?.model),
      resourceId: str(json?.data?.id),
    };
  } catch {
    return { event: null, model: null, resourceId: null };
  }
}

/** `data.updatedAt` as the snapshot's version; without a usable one, the time it arrived. */
function versionOf(updatedAt: unknown, receivedAt: number, warnings: string[]) {
  const version = parseTimestamp(updatedAt);
  if (version !== null) return version;
  if (updatedAt !== undefined && updatedAt !== null) {
    warnings.push(
      `data.updatedAt: not an ISO 8601 date: ${JSON.stringify(updatedAt)}; used receipt time`,
    );
  }
  return receivedAt;
}

type RecordSource = Omit<ExpandedRecord, "fields"> & {
  fields: Record<string, unknown> | undefined;
  deleted: boolean;
};

// Objects below are written out whole, never spread or destructured with a rest: V8 builds a
// spread literal's hidden classes anew on every call, tens of µs per delivery on this path.
function recordChange(record: RecordSource, receivedAt: number): RecordChange {
  const warnings: string[] = [];
  const version = versionOf(record.updatedAt, receivedAt, warnings);
  const createdAt = parseTimestamp(record.createdAt);
  if (record.deleted) {
    return {
      model: record.model,
      externalId: record.id,
      version,
      createdAt,
      snapshot: null,
      expanded: [],
      warnings,
    };
  }
  const fields = record.fields ?? {};
  const read = normalizeRecordFields(record.model, fields);
  for (const warning of read.warnings) warnings.push(warning);
  const snapshot = {
    name: read.name,
    email: read.email,
    phone: read.phone,
    fields,
    contentHash: hashOf([fields, record.createdAt, record.updatedAt]),
  };
  const expanded = read.expanded.map((nested) => recordChange(asSource(nested), receivedAt));
  return {
    model: record.model,
    externalId: record.id,
    version,
    createdAt,
    snapshot,
    expanded,
    warnings,
  };
}

function asSource(record: ExpandedRecord): RecordSource {
  const { model, id, fields, createdAt, updatedAt } = record;
  return { model, id, fields, createdAt, updatedAt, deleted: false };
}

function engagementChange(event: MorphEvent, receivedAt: number): EngagementChange {
  const { data } = event;
  const warnings: string[] = [];
  const version = versionOf(data.updatedAt, receivedAt, warnings);
  const createdAt = parseTimestamp(data.createdAt);
  const model = "crmEngagement";
  if (event.action === "deleted") {
    return {
      model,
      externalId: data.id,
      version,
      createdAt,
      snapshot: null,
      expanded: [],
      warnings,
    };
  }
  const fields = data.fields ?? {};
  const read = normalizeEngagementFields(fields);
  for (const warning of read.warnings) warnings.push(warning);
  const normalized: NormalizedEngagement = {
    type: read.type,
    direction: read.direction,
    status: read.status,
    title: read.title,
    description: read.description,
    startedAt: read.startedAt,
    endedAt: read.endedAt,
    duration: read.duration,
    ownerId: read.ownerId,
    refs: read.refs,
    warnings: read.warnings,
  };
  const snapshot = { normalized, fields, contentHash: hashOf(data) };
  const expanded = read.expanded.map((record) => recordChange(asSource(record), receivedAt));
  return { model, externalId: data.id, version, createdAt, snapshot, expanded, warnings };
}

function changeOf(event: MorphEvent, receivedAt: number) {
  if (event.model === "crmEngagement") return engagementChange(event, receivedAt);
  const { data } = event;
  const source = {
    model: event.model as RecordModel,
    id: data.id,
    fields: data.fields,
    createdAt: data.createdAt,
    updatedAt: data.updatedAt,
    deleted: event.action === "deleted",
  };
  return recordChange(source, receivedAt);
}

/**
 * What a delivery means, read before storage: its body validated (strict envelope, lenient
 * fields), the change it asks for with its version, or why it is refused.
 */
export function readDelivery(rawBody: string, meta: DeliveryMeta): IncomingDelivery {
  const started = performance.now();
  const parsed = parseDeliveryBody(rawBody);
  return {
    meta,
    rawBody,
    bodyHash: hashBody(rawBody),
    about: peekDelivery(rawBody, parsed.ok ? parsed.event : undefined),
    change: parsed.ok ? changeOf(parsed.event, meta.receivedAt) : { refused: parsed.failure },
    readMs: performance.now() - started,
  };
}
