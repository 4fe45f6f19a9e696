/** Run by `npm start` before it builds or serves: a setting that does not fit stops the start. */
import { ConfigError, databaseTarget } from "@/lib/config";

try {
  databaseTarget();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Configuration error: ${error.message}`);
  process.exit(2);
}
