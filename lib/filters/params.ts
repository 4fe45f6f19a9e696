import { z } from "zod";

/**
 * Reading search params, shared by both filters. Forgiving: a value that does not fit its
 * schema reads as absent, so a hand-edited URL narrows less instead of failing.
 */

export type ParamSource =
  URLSearchParams | Record<string, string | string[] | undefined> | null | undefined;

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export const idSchema = z.string().trim().min(1).max(200);
export const enumValueSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w.-]+$/);
export const textSchema = z.string().trim().min(1).max(500);

/** Every value of `key`: a `URLSearchParams` or Next's `searchParams` object. */
export function allValues(source: ParamSource, key: string): string[] {
  if (!source) return [];
  if (source instanceof URLSearchParams) return source.getAll(key);
  const value = source[key];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function firstValue(source: ParamSource, key: string): string | undefined {
  return allValues(source, key)[0];
}

/** The first value of `key` if it fits `schema`, else null. */
export function one<T>(source: ParamSource, key: string, schema: z.ZodType<T>): T | null {
  const first = firstValue(source, key);
  if (first === undefined) return null;
  const parsed = schema.safeParse(first);
  return parsed.success ? parsed.data : null;
}

/** A repeatable key: `type=call&type=email` or `type=call,email`, each value checked, no repeats. */
export function many<T extends string>(
  source: ParamSource,
  key: string,
  schema: z.ZodType<T>,
): T[] {
  const out: T[] = [];
  for (const raw of allValues(source, key)) {
    for (const part of raw.split(",")) {
      const parsed = schema.safeParse(part.trim());
      if (parsed.success && !out.includes(parsed.data)) out.push(parsed.data);
    }
  }
  return out;
}

/** The page size: a whole number, over the maximum means the maximum, anything else the default. */
export function parseLimit(value: string | undefined): number {
  const text = value?.trim();
  if (!text || !/^\d+$/.test(text)) return DEFAULT_LIMIT;
  const n = Number(text);
  return n < 1 ? DEFAULT_LIMIT : Math.min(n, MAX_LIMIT);
}

/** Search params from pairs, in their order; empty values and `omit`ted keys left out. */
export function buildParams(
  pairs: Iterable<readonly [string, string | null | undefined]>,
  omit: Iterable<string> = [],
): URLSearchParams {
  const skip = new Set(omit);
  const params = new URLSearchParams();
  for (const [key, value] of pairs) {
    if (value !== null && value !== undefined && value !== "" && !skip.has(key)) {
      params.append(key, value);
    }
  }
  return params;
}
