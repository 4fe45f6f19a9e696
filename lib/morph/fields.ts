import { REFERENCE_ROLES } from "@/db/roles";
import { RECORD_MODELS, type RecordModel } from "@/db/models";
import type { EngagementRefRow, NormalizedEngagement } from "@/db/types";
import {
  ENGAGEMENT_DIRECTIONS,
  ENGAGEMENT_STATUSES,
  ENGAGEMENT_TYPES,
  type ResourceRef,
} from "./schemas";

/**
 * Lenient reading of a snapshot's `fields`: a value that does not fit Morph's model is kept
 * raw (the snapshot is stored as received) and named in a warning, never dropped.
 */

export function parseTimestamp(value: unknown): number | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

function describe(value: unknown) {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `resourceRefSchema` as a hand-written guard: references are the most frequent values in a
 * snapshot, and a zod parse per reference is measurable on the ingest path. The unit tests
 * hold the two to the same answers.
 */
export function asResourceRef(value: unknown): ResourceRef | null {
  if (!isPlainObject(value)) return null;
  const { object, model, id, fields } = value;
  if (object !== undefined && object !== "resourceRef" && object !== "resource") return null;
  if (typeof model !== "string" || model.length === 0) return null;
  let refId: string;
  if (typeof id === "string" && id.trim() !== "") refId = id.trim();
  else if (typeof id === "number" && Number.isFinite(id)) refId = String(id);
  else return null;
  if (fields !== undefined && !isPlainObject(fields)) return null;
  // Built up rather than spread together: spreading into a literal is slow in V8 on this path.
  const ref: ResourceRef =
    object === undefined ? { model, id: refId } : { object, model, id: refId };
  if (fields !== undefined) ref.fields = fields;
  if ("createdAt" in value) ref.createdAt = value.createdAt;
  if ("updatedAt" in value) ref.updatedAt = value.updatedAt;
  return ref;
}

class FieldReader {
  readonly warnings: string[] = [];
  constructor(private readonly fields: Record<string, unknown>) {}

  text(key: string): string | null {
    const value = this.fields[key];
    if (value === undefined || value === null) return null;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") {
      this.warnings.push(`fields.${key}: expected a string, got ${describe(value)}`);
      return String(value);
    }
    this.warnings.push(`fields.${key}: expected a string, got ${describe(value)}`);
    return null;
  }

  /** An enum value: an unknown one is kept as its raw text so it can still be seen and filtered. */
  choice(key: string, allowed: readonly string[]): string | null {
    const value = this.fields[key];
    if (value === undefined || value === null) return null;
    if (typeof value === "string" && allowed.includes(value)) return value;
    this.warnings.push(
      `fields.${key}: unknown value ${describe(value)} (expected ${allowed.join(" | ")})`,
    );
    return typeof value === "string" ? value : describe(value);
  }

  timestamp(key: string): number | null {
    const value = this.fields[key];
    if (value === undefined || value === null) return null;
    const ms = parseTimestamp(value);
    if (ms === null) this.warnings.push(`fields.${key}: not an ISO 8601 date: ${describe(value)}`);
    return ms;
  }

  nonNegativeInteger(key: string): number | null {
    const value = this.fields[key];
    if (value === undefined || value === null) return null;
    if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
    this.warnings.push(`fields.${key}: expected whole seconds >= 0, got ${describe(value)}`);
    return null;
  }

  number(key: string): number | null {
    const value = this.fields[key];
    if (value === undefined || value === null) return null;
    if (typeof value === "number" && Number.isFinite(value)) return value;
    this.warnings.push(`fields.${key}: expected a number, got ${describe(value)}`);
    return null;
  }

  required(key: string) {
    if (this.fields[key] === undefined || this.fields[key] === null) {
      this.warnings.push(`fields.${key}: missing (required by Morph's model)`);
    }
  }

  ref(key: string, path = `fields.${key}`): ResourceRef | null {
    const value = key in this.fields ? this.fields[key] : undefined;
    return this.readRef(value, path);
  }

  readRef(value: unknown, path: string): ResourceRef | null {
    if (value === undefined || value === null) return null;
    const ref = asResourceRef(value);
    if (!ref) this.warnings.push(`${path}: not a reference: ${describe(value)}`);
    return ref;
  }

  refs(key: string): ResourceRef[] {
    const value = this.fields[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.warnings.push(`fields.${key}: expected a list of references, got ${describe(value)}`);
      return [];
    }
    const out: ResourceRef[] = [];
    value.forEach((item, index) => {
      const ref = this.readRef(item, `fields.${key}.${index}`);
      if (ref) out.push(ref);
    });
    return out;
  }
}

export type ExpandedRecord = {
  model: RecordModel;
  id: string;
  fields: Record<string, unknown>;
  createdAt: unknown;
  updatedAt: unknown;
};

/** A snapshot's fields as the store takes them, with the records they embed. */
export type NormalizedEngagementFields = NormalizedEngagement & { expanded: ExpandedRecord[] };

function collectExpanded(ref: ResourceRef, expanded: ExpandedRecord[]) {
  if (ref.object !== "resource" || !ref.fields) return;
  if (!(RECORD_MODELS as readonly string[]).includes(ref.model)) return;
  expanded.push({
    model: ref.model as RecordModel,
    id: ref.id,
    fields: ref.fields,
    createdAt: ref.createdAt,
    updatedAt: ref.updatedAt,
  });
}

export function normalizeEngagementFields(
  fields: Record<string, unknown>,
): NormalizedEngagementFields {
  const read = new FieldReader(fields);
  read.required("type");
  read.required("startedAt");
  const expanded: ExpandedRecord[] = [];
  const refs: EngagementRefRow[] = [];

  const owner = read.ref("owner");
  if (owner) {
    if (owner.model !== "genericUser") {
      read.warnings.push(
        `fields.owner.model: expected "genericUser", got ${describe(owner.model)}`,
      );
    }
    collectExpanded(owner, expanded);
  }

  for (const { list: key, role, model } of REFERENCE_ROLES) {
    const seen = new Set<string>();
    read.refs(key).forEach((ref, position) => {
      if (ref.model !== model) {
        read.warnings.push(
          `fields.${key}.${position}.model: expected "${model}", got ${describe(ref.model)}`,
        );
      }
      collectExpanded(ref, expanded);
      if (seen.has(ref.id)) return;
      seen.add(ref.id);
      refs.push({ role, refId: ref.id, position });
    });
  }

  const normalized: NormalizedEngagementFields = {
    type: read.choice("type", ENGAGEMENT_TYPES),
    direction: read.choice("direction", ENGAGEMENT_DIRECTIONS),
    status: read.choice("status", ENGAGEMENT_STATUSES),
    title: read.text("title"),
    description: read.text("description"),
    startedAt: read.timestamp("startedAt"),
    endedAt: read.timestamp("endedAt"),
    duration: read.nonNegativeInteger("duration"),
    ownerId: owner?.id ?? null,
    refs,
    expanded,
    warnings: read.warnings,
  };
  return normalized;
}

export type NormalizedRecord = {
  name: string | null;
  email: string | null;
  phone: string | null;
  expanded: ExpandedRecord[];
  warnings: string[];
};

/** The name a person goes by in the UI: full name, else email. */
export function personName(first: string | null, last: string | null, email: string | null) {
  const full = [first, last]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(" ");
  return full || email?.trim() || null;
}

export function normalizeRecordFields(
  model: RecordModel,
  fields: Record<string, unknown>,
): NormalizedRecord {
  const read = new FieldReader(fields);
  const expanded: ExpandedRecord[] = [];
  switch (model) {
    case "genericUser":
    case "genericContact": {
      const email = read.text("email");
      const phone = model === "genericContact" ? read.text("phone") : null;
      const name = personName(read.text("firstName"), read.text("lastName"), email);
      return { name, email, phone, expanded, warnings: read.warnings };
    }
    case "genericCompany":
      return {
        name: read.text("name"),
        email: null,
        phone: null,
        expanded,
        warnings: read.warnings,
      };
    case "crmOpportunity": {
      const name = read.text("name");
      read.number("amount");
      const currency = read.text("currency");
      if (currency !== null && !/^[A-Za-z]{3}$/.test(currency)) {
        read.warnings.push(`fields.currency: expected a 3-letter code, got ${describe(currency)}`);
      }
      read.text("stage");
      read.text("pipeline");
      const owner = read.ref("owner");
      if (owner) collectExpanded(owner, expanded);
      for (const key of ["contacts", "companies"]) {
        for (const ref of read.refs(key)) collectExpanded(ref, expanded);
      }
      return { name, email: null, phone: null, expanded, warnings: read.warnings };
    }
  }
}
