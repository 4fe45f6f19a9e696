import { eq } from "drizzle-orm";
import type { KeptSetting, SettingName } from "../types";
import type { PgDatabase } from "./client";
import { settings } from "./schema";

const WHERE = "the database's settings table";

export async function readSetting(db: PgDatabase, name: SettingName): Promise<string | null> {
  const [row] = await db.select().from(settings).where(eq(settings.name, name));
  return row?.value ?? null;
}

/** Keeps `proposed` unless a value is kept already: the first process to start decides for all. */
export async function keepSetting(
  db: PgDatabase,
  name: SettingName,
  proposed: string,
): Promise<KeptSetting> {
  const [inserted] = await db
    .insert(settings)
    .values({ name, value: proposed })
    .onConflictDoNothing()
    .returning();
  if (inserted) return { value: inserted.value, created: true, where: WHERE };
  return { value: (await readSetting(db, name))!, created: false, where: WHERE };
}
