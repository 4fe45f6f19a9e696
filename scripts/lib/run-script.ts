/** How the database scripts end when they fail: one line on stderr, no password, exit 1. */

/** Any password in a postgres:// URL within `text` masked (the URL as given may carry one). */
export function maskPasswords(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:@/\s]*:)[^@\s]*@/gi, "$1***@");
}

/** The error's message and its causes' ("storage unavailable: connect ECONNREFUSED …"). */
export function describeFailure(error: unknown): string {
  const messages: string[] = [];
  for (let e = error; e && messages.length < 4; e = (e as Error).cause) {
    const { message, code } = e as { message?: string; code?: string };
    const text = (message || code || String(e)).replace(/\.$/, "");
    if (!messages.includes(text)) messages.push(text);
  }
  return maskPasswords(messages.join(": "));
}

/** Runs `main`; a failure is printed as `name: why` and the process exits 1. */
export async function runScript(name: string, main: () => Promise<void>) {
  try {
    await main();
  } catch (error) {
    console.error(`${name}: ${describeFailure(error)}`);
    process.exit(1);
  }
}
