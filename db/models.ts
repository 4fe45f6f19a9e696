/** The vocabularies every engine stores: reference roles, record models, delivery outcomes. */

export const REF_ROLES = ["user", "contact", "company", "opportunity"] as const;
export type RefRole = (typeof REF_ROLES)[number];

export const RECORD_MODELS = [
  "genericUser",
  "genericContact",
  "genericCompany",
  "crmOpportunity",
] as const;
export type RecordModel = (typeof RECORD_MODELS)[number];

export const DELIVERY_OUTCOMES = [
  "applied",
  "unchanged",
  "stale",
  "duplicate",
  "conflict",
  "rejected",
] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** Stored engagement `fields`: the snapshot whole, or `[layout, rest?]` (db/fields-codec.ts). */
export type StoredEngagementFields =
  Record<string, unknown> | [layout: string] | [layout: string, rest: Record<string, unknown>];
