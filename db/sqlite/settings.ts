import fs from "node:fs";
import path from "node:path";
import type { KeptSetting, SettingName } from "../types";

/** Settings live in owner-only files beside the database, so one data folder is one install. */
export function settingFile(databaseFile: string, name: SettingName) {
  const dir = databaseFile === ":memory:" ? path.resolve("data") : path.dirname(databaseFile);
  return path.join(dir, name);
}

export function readSetting(databaseFile: string, name: SettingName): string | null {
  try {
    return fs.readFileSync(settingFile(databaseFile, name), "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Keeps `proposed` unless a value is kept already; exclusive (`wx`), so two processes agree. */
export function keepSetting(
  databaseFile: string,
  name: SettingName,
  proposed: string,
): KeptSetting {
  const file = settingFile(databaseFile, name);
  const kept = readSetting(databaseFile, name);
  if (kept !== null) return { value: kept, created: false, where: file };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, `${proposed}\n`, { mode: 0o600, flag: "wx" });
    return { value: proposed, created: true, where: file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return { value: readSetting(databaseFile, name)!, created: false, where: file };
  }
}
