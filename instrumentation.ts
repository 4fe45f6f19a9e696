/** Runs once when the server starts: open and migrate the database, then say how to reach it. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { announceStartup } = await import("./lib/startup");
  announceStartup();
}
