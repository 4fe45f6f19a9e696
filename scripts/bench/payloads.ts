/** What the ingest benchmark sends: realistic engagement snapshots, each under a new id and key. */
import {
  createRng,
  createWorld,
  engagementSnapshot,
  morphEnvelope,
  pickType,
  workdayTime,
} from "../lib/world";
import type { Delivery } from "./app";

/** Realistic engagement bodies (refs, titles, descriptions), split where the id goes. */
function payloadTemplates(count: number) {
  const rng = createRng(2024);
  const world = createWorld(rng, { users: 50, contacts: 2000, companies: 500, opportunities: 300 });
  const now = Date.now();
  return Array.from({ length: count }, () => {
    const snapshot = engagementSnapshot(rng, world, {
      id: "@ID@",
      type: pickType(rng),
      startedAt: workdayTime(rng, now, 365),
      now,
    });
    const body = JSON.stringify(
      morphEnvelope(
        "crmEngagement",
        "created",
        "@ID@",
        snapshot.fields,
        snapshot.createdAt,
        snapshot.updatedAt,
      ),
    );
    return body.split('"@ID@"') as [string, string];
  });
}

/** The next payload: one of the templates under a fresh engagement id and idempotency key. */
export type NextPayload = () => { key: string; body: string };

export function createPayloads(count = 200): NextPayload {
  const templates = payloadTemplates(count);
  const runId = Date.now().toString(36);
  let sequence = 0;
  return () => {
    const n = ++sequence;
    const [before, after] = templates[n % templates.length]!;
    return { key: `bench-${runId}-${n}`, body: `${before}"bench-${n}"${after}` };
  };
}

/** What Morph sends with each delivery, bar the idempotency key. */
export const HEADERS = {
  "content-type": "application/json",
  "x-conector-id": "hubspot",
  "x-owner-id": "acme-prod",
};

/** `count` deliveries as the webhook route hands them on, for ingest() and the raw statements in process. */
export function deliveriesFrom(nextPayload: NextPayload, count: number): Delivery[] {
  return Array.from({ length: count }, () => {
    const { key, body } = nextPayload();
    return {
      rawBody: body,
      meta: {
        connectorId: "hubspot",
        connectionOwnerId: "acme-prod",
        idempotencyKey: key,
        headers: { ...HEADERS, "x-idempotency-key": key },
        receivedAt: Date.now(),
      },
    };
  });
}
