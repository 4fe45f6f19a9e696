import type { RecordModel, RefRole, StoredEngagementFields } from "@/db/schema";
import { RECORD_MODELS } from "@/db/schema";
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

export type EngagementRefRow = { role: RefRole; refId: string; position: number };

export type ExpandedRecord = {
  model: RecordModel;
  id: string;
  fields: Record<string, unknown>;
  createdAt: unknown;
  updatedAt: unknown;
};

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
  expanded: ExpandedRecord[];
  warnings: string[];
};

const REF_FIELDS: { key: string; role: RefRole; model: RecordModel }[] = [
  { key: "users", role: "user", model: "genericUser" },
  { key: "contacts", role: "contact", model: "genericContact" },
  { key: "companies", role: "company", model: "genericCompany" },
  { key: "opportunities", role: "opportunity", model: "crmOpportunity" },
];

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

export function normalizeEngagementFields(fields: Record<string, unknown>): NormalizedEngagement {
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

  for (const { key, role, model } of REF_FIELDS) {
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

  const normalized: NormalizedEngagement = {
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

/**
 * The engagement columns a normalized snapshot fills (ingest and the bulk loader alike): the
 * typed ones, and `fields` as stored (see `storeEngagementFields`).
 */
export function engagementColumns(
  normalized: NormalizedEngagement,
  fields: Record<string, unknown>,
) {
  const { type, direction, status, title, description, endedAt, duration, ownerId } = normalized;
  return {
    type,
    direction,
    status,
    title,
    description,
    endedAt,
    duration,
    ownerId,
    fields: storeEngagementFields(fields, normalized),
  };
}

/**
 * Keys of a snapshot's `fields` whose value the typed columns or engagement_refs hold exactly,
 * with the one-letter code that stands for each in stored `fields`. Migration 0007 uses the
 * same letters.
 */
export const DERIVED_KEYS = {
  type: "t",
  direction: "d",
  status: "s",
  title: "T",
  description: "D",
  startedAt: "a",
  endedAt: "e",
  duration: "n",
  owner: "o",
  users: "u",
  contacts: "c",
  companies: "m",
  opportunities: "p",
} as const;
export type DerivedKey = keyof typeof DERIVED_KEYS;
const KEY_OF_CODE = new Map(
  Object.entries(DERIVED_KEYS).map(([key, code]) => [code as string, key as DerivedKey]),
);
/** Stands, in the layout, for the next key of the stored rest. */
const REST = ".";

const REF_LISTS = {
  users: { role: "user", model: "genericUser" },
  contacts: { role: "contact", model: "genericContact" },
  companies: { role: "company", model: "genericCompany" },
  opportunities: { role: "opportunity", model: "crmOpportunity" },
} as const satisfies Record<string, { role: RefRole; model: RecordModel }>;
type RefList = keyof typeof REF_LISTS;

/** A string SQLite keeps as is: a lone surrogate would come back as U+FFFD. */
const storable = (value: unknown): value is string =>
  typeof value === "string" && value.isWellFormed();

const isoOf = (ms: number) => new Date(ms).toISOString();

/** `{"object":"resourceRef","model":…,"id":…}` exactly, those keys in that order. */
function isBareRef(value: unknown, model: string, id: string) {
  if (!isPlainObject(value)) return false;
  let n = 0;
  for (const key in value) {
    if (key !== BARE_REF_KEYS[n++]) return false;
  }
  return n === 3 && value.object === "resourceRef" && value.model === model && value.id === id;
}
const BARE_REF_KEYS = ["object", "model", "id"];
const bareRef = (model: string, id: string) => ({ object: "resourceRef", model, id });

/** Whether `value`, the snapshot's value for `key`, is exactly what the columns give back. */
function derivable(key: DerivedKey, value: unknown, normalized: NormalizedEngagement): boolean {
  switch (key) {
    case "type":
    case "direction":
    case "status":
    case "title":
    case "description":
      return storable(value) && normalized[key] === value;
    case "startedAt":
    case "endedAt": {
      // Years 0000–9999 only (24 characters), as migration 0007 does.
      const ms = normalized[key];
      return typeof value === "string" && value.length === 24 && ms !== null && isoOf(ms) === value;
    }
    case "duration":
      return Number.isSafeInteger(value) && normalized.duration === value;
    case "owner":
      return storable(normalized.ownerId) && isBareRef(value, "genericUser", normalized.ownerId);
    default: {
      if (!Array.isArray(value)) return false;
      const { role, model } = REF_LISTS[key];
      let position = 0;
      for (const ref of normalized.refs) {
        if (ref.role !== role) continue;
        if (ref.position !== position || !storable(ref.refId)) return false;
        if (!isBareRef(value[position], model, ref.refId)) return false;
        position++;
      }
      return position === value.length;
    }
  }
}

/**
 * `fields` as stored: the snapshot as received, less the values the typed columns and
 * engagement_refs already hold, which `loadEngagementFields` puts back. Stored as
 * `[layout]` or `[layout, rest]`: `layout` has one letter per key in the snapshot's order (a
 * `DERIVED_KEYS` code, or `.` for the next key of `rest`), `rest` holds every other value as
 * received. A snapshot with nothing to leave out is stored whole, as it always was.
 */
export function storeEngagementFields(
  fields: Record<string, unknown>,
  normalized: NormalizedEngagement,
): StoredEngagementFields {
  let layout = "";
  let rest: Record<string, unknown> | null = null;
  let derived = 0;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    const code = Object.hasOwn(DERIVED_KEYS, key) ? DERIVED_KEYS[key as DerivedKey] : null;
    if (code !== null && derivable(key as DerivedKey, value, normalized)) {
      layout += code;
      derived++;
    } else {
      layout += REST;
      rest ??= {};
      defineValue(rest, key, value);
    }
  }
  if (derived === 0) return fields;
  return rest === null ? [layout] : [layout, rest];
}

/** What the columns of a stored engagement hold, for `loadEngagementFields`. */
export type EngagementColumnValues = {
  type: string | null;
  direction: string | null;
  status: string | null;
  title: string | null;
  description: string | null;
  /** Epoch ms, as stored. */
  startedAt: number;
  endedAt: number | null;
  duration: number | null;
  ownerId: string | null;
  /** Referenced ids per list, in position order (engagement_refs). */
  refs: Record<RefList, readonly string[]>;
};

function derivedValue(key: DerivedKey, columns: EngagementColumnValues): unknown {
  switch (key) {
    case "type":
    case "direction":
    case "status":
    case "title":
    case "description":
    case "duration":
      return columns[key];
    case "startedAt":
      return isoOf(columns.startedAt);
    case "endedAt":
      return columns.endedAt === null ? null : isoOf(columns.endedAt);
    case "owner":
      return bareRef("genericUser", columns.ownerId ?? "");
    default:
      return columns.refs[key].map((id) => bareRef(REF_LISTS[key].model, id));
  }
}

/** The snapshot's `fields` as received, from stored `fields` and the row's columns. */
export function loadEngagementFields(
  stored: unknown,
  columns: EngagementColumnValues,
): Record<string, unknown> {
  if (!Array.isArray(stored)) return isPlainObject(stored) ? stored : {};
  const [layout, rest = {}] = stored as [unknown, Record<string, unknown> | undefined];
  if (typeof layout !== "string") return {};
  const restKeys = Object.keys(rest);
  let next = 0;
  const fields: Record<string, unknown> = {};
  for (const code of layout) {
    if (code === REST) {
      const key = restKeys[next++];
      if (key !== undefined) defineValue(fields, key, rest[key]);
      continue;
    }
    const key = KEY_OF_CODE.get(code);
    if (key !== undefined) fields[key] = derivedValue(key, columns);
  }
  return fields;
}

/** `target[key] = value`, as JSON.parse would set it: `__proto__` is an own key, not the prototype. */
function defineValue(target: Record<string, unknown>, key: string, value: unknown) {
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
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
