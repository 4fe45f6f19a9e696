import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { getStore } from "@/db/app-store";
import type { Store } from "@/db/store";
import type { SettingName } from "@/db/types";
import { setting } from "@/lib/config";

type SecretName = SettingName;

/** Standard Webhooks' format, re-rolled until it has no `+` or `/`, so the token pastes cleanly into a URL. */
function generateWebhookSecret(): string {
  for (;;) {
    const key = randomBytes(24).toString("base64");
    if (/^[A-Za-z0-9]+$/.test(key)) return `whsec_${key}`;
  }
}

const GENERATORS: Record<SecretName, () => string> = {
  // One secret serves the token, Bearer and signatures alike.
  "webhook-secret": generateWebhookSecret,
  "app-password": () => randomBytes(18).toString("base64url"),
};

const fromEnv = (name: SecretName) =>
  setting(name === "webhook-secret" ? "WEBHOOK_SECRET" : "APP_PASSWORD");

export type ResolvedSecret = {
  value: string;
  source: "env" | "stored" | "generated";
  /** Where a stored or generated value is kept: a file beside SQLite, or the database. */
  where: string | null;
};

/**
 * A secret from its env var, else the one the store keeps (beside the SQLite file, or in the
 * PostgreSQL database), else generated and kept now: the first process to start decides for all.
 */
export async function resolveSecret(
  name: SecretName,
  envValue: string | undefined,
  store: Store = getStore(),
): Promise<ResolvedSecret> {
  if (envValue?.trim()) return { value: envValue.trim(), source: "env", where: null };
  const kept = await store.keepSetting(name, GENERATORS[name]());
  return { value: kept.value, source: kept.created ? "generated" : "stored", where: kept.where };
}

const cache = globalThis as unknown as { appSecrets?: Map<SecretName, Promise<ResolvedSecret>> };

/** The running app's secrets, resolved once per process; a failed lookup is tried again next time. */
export function appSecretSource(name: SecretName): Promise<ResolvedSecret> {
  cache.appSecrets ??= new Map();
  let secret = cache.appSecrets.get(name);
  if (!secret) {
    secret = resolveSecret(name, fromEnv(name));
    cache.appSecrets.set(name, secret);
    secret.catch(() => cache.appSecrets?.delete(name));
  }
  return secret;
}

export async function appSecret(name: SecretName): Promise<string> {
  return (await appSecretSource(name)).value;
}

/** Constant-time string equality (both sides hashed first, so lengths leak nothing either). */
export function safeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
