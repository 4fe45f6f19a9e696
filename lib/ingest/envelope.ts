import { EVENTS, morphEventSchema, type MorphEvent } from "@/lib/morph/schemas";

const KNOWN_EVENTS = new Set<string>(EVENTS);
/** `data`'s declared keys, in the order `morphEventSchema` writes them. */
const DATA_KEYS = [
  "object",
  "model",
  "id",
  "fields",
  "createdAt",
  "updatedAt",
  "rawResource",
  "warnings",
] as const;
const DATA_KEY_SET = new Set<string>(DATA_KEYS);
const DATA_KEY_INDEX = new Map<string, number>(DATA_KEYS.map((key, i) => [key, i]));

/** Whether `data` has only declared keys, in the schema's order, none of them undefined. */
function inSchemaOrder(data: Record<string, unknown>) {
  let last = -1;
  for (const key in data) {
    const index = DATA_KEY_INDEX.get(key);
    if (index === undefined || index <= last || data[key] === undefined) return false;
    last = index;
  }
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const has = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/**
 * `morphEventSchema.safeParse` for the envelopes Morph actually sends, without zod's walk:
 * a valid envelope gives the very object the schema would (same keys in the same order, so the
 * content hash is the same); anything else (an invalid envelope, an odd key such as
 * `__proto__`) goes through the schema itself, which also words the errors. The unit tests
 * hold the two to the same answers.
 */
export function parseEnvelope(json: unknown): ReturnType<typeof morphEventSchema.safeParse> {
  const fast = readEnvelope(json);
  return fast ? { success: true, data: fast } : morphEventSchema.safeParse(json);
}

function readEnvelope(json: unknown): MorphEvent | null {
  if (!isPlainObject(json)) return null;
  const { event, data } = json;
  if (typeof event !== "string" || !KNOWN_EVENTS.has(event) || !isPlainObject(data)) return null;
  if (has(data, "__proto__")) return null;
  const separator = event.indexOf("::");
  const model = event.slice(0, separator) as MorphEvent["model"];
  const action = event.slice(separator + 2) as MorphEvent["action"];

  const { object, id, fields } = data;
  if (object !== undefined && typeof object !== "string") return null;
  if (data.model !== model) return null;
  let resourceId: string;
  if (typeof id === "string") {
    resourceId = id.trim();
    if (resourceId.length === 0) return null;
  } else if (typeof id === "number" && Number.isFinite(id)) {
    resourceId = String(id);
  } else {
    return null;
  }
  if (fields === undefined) {
    if (action !== "deleted") return null;
  } else if (!isPlainObject(fields) || has(fields, "__proto__")) {
    return null;
  }

  // What Morph sends: the schema's keys in its order and a trimmed id, so the schema's copy
  // would equal `data` itself.
  if (resourceId === id && inSchemaOrder(data)) {
    return { event, data: data as MorphEvent["data"], model, action };
  }
  const out: Record<string, unknown> = {};
  for (const key of DATA_KEYS) {
    if (key === "id") out.id = resourceId;
    else if (has(data, key) && data[key] !== undefined) out[key] = data[key];
  }
  for (const key in data) {
    if (!DATA_KEY_SET.has(key) && has(data, key)) out[key] = data[key];
  }
  return { event, data: out as MorphEvent["data"], model, action };
}
