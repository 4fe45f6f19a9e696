import { getStore } from "@/db/app-store";
import { appSecretSource, type ResolvedSecret } from "@/lib/auth/secrets";
import { setting } from "@/lib/config";
import { schedulePruning } from "@/lib/maintenance";

const RETRY_BANNER_MS = 2_000;

function keptNote(secret: ResolvedSecret, envVar: string, what: string) {
  return secret.source === "env"
    ? `  (${what} from ${envVar})`
    : `  (${what} kept in ${secret.where}; set ${envVar} to choose your own)`;
}

/** What to print once the secrets are known: where to point Morph and how to sign in. */
async function bannerLines(base: string): Promise<string[]> {
  const webhook = await appSecretSource("webhook-secret");
  const lines = [
    `Webhook URL for Morph: ${base}/api/webhooks/morph?token=${encodeURIComponent(webhook.value)}`,
    keptNote(webhook, "WEBHOOK_SECRET", "secret"),
  ];
  if (setting("WEBHOOK_ALLOW_UNSIGNED")) {
    lines.push("  WEBHOOK_ALLOW_UNSIGNED=1: requests without credentials are accepted too.");
  }
  if (setting("APP_ALLOW_PUBLIC")) {
    lines.push(`App: ${base}/engagements (APP_ALLOW_PUBLIC=1: no login)`);
  } else {
    const password = await appSecretSource("app-password");
    lines.push(
      `Sign in: ${base}/api/session?token=${encodeURIComponent(password.value)}`,
      keptNote(password, "APP_PASSWORD", "password"),
    );
  }
  return lines;
}

/**
 * Opens the database and prints where to point Morph and how to sign in. A database that is not
 * there yet (PostgreSQL down) does not stop the start: the app serves 503s and the banner follows
 * once it answers.
 */
export function announceStartup() {
  const store = getStore();
  schedulePruning(store);
  const base = setting("APP_URL") ?? `http://localhost:${setting("PORT")}`;
  console.log(`Database: ${store.describe()}`);
  let waited = false;
  const tryBanner = () => {
    bannerLines(base).then(
      (lines) => console.log(lines.join("\n")),
      (error: unknown) => {
        if (!waited) console.error(`Database not reachable yet (${String(error)}); retrying.`);
        waited = true;
        setTimeout(tryBanner, RETRY_BANNER_MS).unref();
      },
    );
  };
  tryBanner();
}
