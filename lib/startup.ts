import { getStore } from "@/db/app-store";
import { appSecretSource } from "@/lib/auth/secrets";
import { isEnabled } from "@/lib/config";
import { schedulePruning } from "@/lib/maintenance";

/** Opens and migrates the database and prints where to point Morph and how to sign in. */
export function announceStartup() {
  const store = getStore();
  schedulePruning(store);
  const base = `http://localhost:${process.env.PORT || 3000}`;
  const lines = [`Database: ${store.describe()}`];

  const webhook = appSecretSource("webhook-secret");
  lines.push(
    `Webhook URL for Morph: ${base}/api/webhooks/morph?token=${encodeURIComponent(webhook.value)}`,
    webhook.source === "env"
      ? "  (secret from WEBHOOK_SECRET)"
      : `  (secret kept in ${webhook.file}; set WEBHOOK_SECRET to choose your own)`,
  );
  if (isEnabled(process.env.WEBHOOK_ALLOW_UNSIGNED)) {
    lines.push("  WEBHOOK_ALLOW_UNSIGNED=1: requests without credentials are accepted too.");
  }

  if (isEnabled(process.env.APP_ALLOW_PUBLIC)) {
    lines.push(`App: ${base}/engagements (APP_ALLOW_PUBLIC=1: no login)`);
  } else {
    const password = appSecretSource("app-password");
    lines.push(
      `Sign in: ${base}/api/session?token=${encodeURIComponent(password.value)}`,
      password.source === "env"
        ? "  (password from APP_PASSWORD)"
        : `  (password kept in ${password.file}; set APP_PASSWORD to choose your own)`,
    );
  }
  console.log(lines.join("\n"));
}
