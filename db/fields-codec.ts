import type { RecordModel, RefRole, StoredEngagementFields } from "./models";
import { REFERENCE_ROLES, type ReferenceList } from "./roles";
import type { NormalizedEngagement } from "./types";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The keys the columns hold exactly, and the letter for each in stored `fields` (as migration 0007). */
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

type RefList = ReferenceList;
const MODEL_OF_LIST = Object.fromEntries(
  REFERENCE_ROLES.map((entry) => [entry.list, entry.model]),
) as Record<RefList, RecordModel>;
const ROLE_OF_LIST = Object.fromEntries(
  REFERENCE_ROLES.map((entry) => [entry.list, entry.role]),
) as Record<RefList, RefRole>;

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
      const role = ROLE_OF_LIST[key];
      const model = MODEL_OF_LIST[key];
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
 * `fields` less what the columns hold, as `[layout]` or `[layout, rest]`: a letter per key in
 * the snapshot's order (a `DERIVED_KEYS` code, or `.` for the next key of `rest`). A snapshot
 * with nothing to leave out is stored whole.
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

export type EngagementColumnValues = {
  type: string | null;
  direction: string | null;
  status: string | null;
  title: string | null;
  description: string | null;
  startedAt: number;
  endedAt: number | null;
  duration: number | null;
  ownerId: string | null;
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
      return columns.refs[key].map((id) => bareRef(MODEL_OF_LIST[key], id));
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
