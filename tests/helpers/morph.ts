import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";

/** The sample Morph events in tests/fixtures (also the README's curl examples). */
const FIXTURES = [path.resolve(import.meta.dirname, "../fixtures")];

/** One of the sample Morph events, parsed. */
export function fixture(name: string): Record<string, unknown> & { data: Record<string, unknown> } {
  for (const dir of FIXTURES) {
    const file = path.join(dir, `${name}.json`);
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8"));
  }
  throw new Error(`no fixture ${name}`);
}

export type PostOptions = {
  key?: string;
  connector?: string;
  owner?: string;
  headers?: Record<string, string | null>;
  query?: string;
};

/** A real `Request` to the webhook, as Morph would send it. */
export function webhookRequest(body: unknown, options: PostOptions = {}): Request {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-conector-id": options.connector ?? "hubspot",
    "x-owner-id": options.owner ?? "acme-prod",
    "x-idempotency-key": options.key ?? randomUUID(),
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  return new Request(`http://localhost/api/webhooks/morph${options.query ?? ""}`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** A snapshot of an engagement with a given id, version and title. */
export function engagementEvent(
  id: string,
  updatedAt: string,
  overrides: { action?: "created" | "updated" | "deleted"; fields?: Record<string, unknown> } = {},
) {
  const action = overrides.action ?? "updated";
  const data: Record<string, unknown> = {
    object: "resource",
    model: "crmEngagement",
    id,
    createdAt: "2025-03-01T00:00:00.000Z",
    updatedAt,
    rawResource: null,
    warnings: [],
  };
  if (action !== "deleted") {
    data.fields = {
      type: "call",
      direction: "outbound",
      status: "completed",
      title: `Call ${id} @ ${updatedAt}`,
      startedAt: "2025-03-06T09:00:00.000Z",
      owner: { object: "resourceRef", model: "genericUser", id: "501" },
      contacts: [{ object: "resourceRef", model: "genericContact", id: "9001" }],
      ...overrides.fields,
    };
  }
  return { event: `crmEngagement::${action}`, data };
}
