/**
 * Every piece of the app the benchmark calls, bar the reads (scripts/lib/app-reads.ts): what
 * scripts/bench/, scripts/lib/bench-server.ts and scripts/lib/raw-ingest.ts use comes from here,
 * so a move of the app's modules is followed in this one file.
 */
import type { AppDatabase } from "@/db/sqlite/client";
import { writeGroup } from "@/db/sqlite/ingest/group";
import { writeDelivery } from "@/db/sqlite/ingest/write-delivery";
import type { DeliveryMeta } from "@/db/types";
import { readDelivery } from "@/lib/ingest/read-delivery";

export { openDatabase, type AppDatabase } from "@/db/sqlite/client";
export { DEFAULT_TUNING } from "@/db/sqlite/queries/engagements/context";
export { DERIVED_KEYS, type DerivedKey } from "@/db/fields-codec";
export { diffVersions, versionState } from "@/db/history";

/** A delivery as the webhook hands it on: its body and what arrived with it. */
export type Delivery = { rawBody: string; meta: DeliveryMeta };

/** The app's ingest of one delivery, read and written in an IMMEDIATE transaction of its own. */
export const ingestOne = (db: AppDatabase, { rawBody, meta }: Delivery) =>
  db.$client.transaction(() => writeDelivery(db, readDelivery(rawBody, meta))).immediate();

/** The app's group commit, as its writer thread runs it, on this thread. */
export const ingestGroup = (db: AppDatabase, deliveries: readonly Delivery[]) =>
  writeGroup(
    db,
    deliveries.map(({ rawBody, meta }) => readDelivery(rawBody, meta)),
  );
