import fs from "node:fs";
import path from "node:path";

const DEBIAN_POSTGRES = "/usr/lib/postgresql";

/**
 * A PostgreSQL program (pg_dump, pg_ctl, initdb …): in PG_BIN, else the newest of Debian's
 * /usr/lib/postgresql/<version>/bin (server programs are not on PATH there), else on PATH.
 */
export function findPgBinary(
  name: string,
  { bin = process.env.PG_BIN, searchPath = process.env.PATH ?? "", debian = DEBIAN_POSTGRES } = {},
): string | null {
  const versions = fs.existsSync(debian)
    ? fs.readdirSync(debian).sort((a, b) => Number(b) - Number(a))
    : [];
  const folders = [
    ...(bin ? [bin] : []),
    ...versions.map((v) => path.join(debian, v, "bin")),
    ...searchPath.split(path.delimiter).filter(Boolean),
  ];
  for (const folder of folders) {
    const file = path.join(folder, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}
