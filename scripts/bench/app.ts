/**
 * Every piece of the app the benchmark calls, bar the reads (scripts/lib/app-reads.ts): what
 * scripts/bench/, scripts/lib/bench-server.ts and scripts/lib/raw-ingest.ts use comes from here,
 * so a move of the app's modules is followed in this one file.
 */
import type { AppDatabase } from "@/db/client";
import { ingest } from "@/lib/ingest";
import type { Delivery } from "@/lib/ingest/group";

export { openDatabase, type AppDatabase } from "@/db/client";
export { searchTuning } from "@/db/queries/engagements";
export { ingestGroup, type Delivery } from "@/lib/ingest/group";
export { DERIVED_KEYS, type DerivedKey } from "@/lib/morph/fields";

/** The app's ingest() of one delivery, in its own transaction. */
export const ingestOne = (db: AppDatabase, { rawBody, meta }: Delivery) =>
  ingest(db, rawBody, meta);
