/**
 * Run by `npm start` before it builds or serves: a variable that does not fit stops the start.
 * The environment is the one the server will see: the shell's, then `.env*` files as Next loads them.
 */
import path from "node:path";
import nextEnv from "@next/env";
import { configProblems } from "@/lib/config";

// A bundled CommonJS module: no named exports under ESM.
nextEnv.loadEnvConfig(path.resolve(import.meta.dirname, ".."), false, {
  info: () => {},
  error: console.error,
});
const problems = configProblems();
if (problems.length > 0) {
  console.error(
    `Configuration error, not starting:\n${problems.map((line) => `  ${line}`).join("\n")}`,
  );
  process.exit(2);
}
