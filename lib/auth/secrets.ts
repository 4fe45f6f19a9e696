import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { resolveDatabasePath, secretFilePath } from "@/lib/config";

type SecretName = "webhook-secret" | "app-password";

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

export type ResolvedSecret = { value: string; source: "env" | "file" | "generated"; file: string };

/**
 * A secret from its env var, else from the owner-only file beside the database, else generated
 * there now. Generation is exclusive (`wx`), so two processes starting together agree.
 */
export function resolveSecret(
  name: SecretName,
  envValue: string | undefined,
  databasePath: string = resolveDatabasePath(),
): ResolvedSecret {
  const file = secretFilePath(name, databasePath);
  if (envValue?.trim()) return { value: envValue.trim(), source: "env", file };
  try {
    return { value: fs.readFileSync(file, "utf8").trim(), source: "file", file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const value = GENERATORS[name]();
  try {
    fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: "wx" });
    return { value, source: "generated", file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return { value: fs.readFileSync(file, "utf8").trim(), source: "file", file };
  }
}

const cache = globalThis as unknown as { appSecrets?: Map<SecretName, ResolvedSecret> };

/** The running app's secrets, resolved once per process (start-up's banner included). */
export function appSecretSource(name: SecretName): ResolvedSecret {
  cache.appSecrets ??= new Map();
  let secret = cache.appSecrets.get(name);
  if (!secret) {
    const env = name === "webhook-secret" ? process.env.WEBHOOK_SECRET : process.env.APP_PASSWORD;
    secret = resolveSecret(name, env);
    cache.appSecrets.set(name, secret);
  }
  return secret;
}

export function appSecret(name: SecretName): string {
  return appSecretSource(name).value;
}

/** Constant-time string equality (both sides hashed first, so lengths leak nothing either). */
export function safeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
