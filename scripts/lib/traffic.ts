import {
  createRng,
  createWorld,
  engagementSnapshot,
  morphEnvelope,
  pickType,
  recordEvents,
  workdayTime,
} from "./world";

/** What a delivery is meant to exercise; the simulator's summary and its test count these. */
export type TrafficKind =
  "record" | "engagement" | "update" | "duplicate" | "stale" | "delete" | "odd";

export type SimDelivery = { kind: TrafficKind; key: string; body: string };

export type TrafficOptions = {
  /** Engagements to create (each may then be updated, deleted, redelivered). */
  count?: number;
  seed?: number;
  /** "Now" for the timeline: engagements spread over the 8 weeks before it. */
  now?: number;
  /** Prefix of every idempotency key; a fresh one per run keeps runs from replaying each other. */
  keyPrefix?: string;
  users?: number;
  contacts?: number;
  companies?: number;
  opportunities?: number;
};

/**
 * Realistic Morph traffic as ordered phases: every delivery of a phase may be sent concurrently,
 * but a phase starts only when the previous one is answered, so "out of order" and "duplicate"
 * deliveries really arrive after what they contradict or repeat.
 */
export type Traffic = {
  phases: SimDelivery[][];
  total: number;
  byKind: Record<TrafficKind, number>;
};

const DAY = 86_400_000;

export function generateTraffic(options: TrafficOptions = {}): Traffic {
  const count = options.count ?? 300;
  const seed = options.seed ?? 1;
  const now = options.now ?? Date.now();
  const keyPrefix = options.keyPrefix ?? `sim-${seed}`;
  // One world for every seed: another seed adds activity about the same people, not new names
  // for the same ids. Engagement ids are per seed, so runs with different seeds add up.
  const world = createWorld(createRng(1), {
    users: options.users ?? 8,
    contacts: options.contacts ?? 60,
    companies: options.companies ?? 15,
    opportunities: options.opportunities ?? 20,
  });
  const rng = createRng(seed);
  const idBase = seed * 1_000_000;

  let serial = 0;
  const deliver = (kind: TrafficKind, event: unknown): SimDelivery => ({
    kind,
    key: `${keyPrefix}-${String(++serial).padStart(6, "0")}`,
    body: JSON.stringify(event),
  });

  const records = recordEvents(world, now - 180 * DAY);
  const phases: SimDelivery[][] = [
    records.users.map((e) => deliver("record", e)),
    [...records.companies, ...records.contacts].map((e) => deliver("record", e)),
    records.opportunities.map((e) => deliver("record", e)),
  ];

  type Sent = { id: string; snapshot: ReturnType<typeof engagementSnapshot>; created: SimDelivery };
  const created: Sent[] = [];
  const creates: SimDelivery[] = [];
  for (let i = 0; i < count; i++) {
    const id = String(idBase + 30_000 + i);
    const type = pickType(rng);
    // Only what can be planned lies ahead: meetings and tasks; calls and emails have happened.
    const startedAt = workdayTime(rng, now, 56, type === "meeting" || type === "task" ? 0.2 : 0);
    const snapshot = engagementSnapshot(
      rng,
      world,
      { id, type, startedAt, now },
      { expandContact: rng.chance(0.15) },
    );
    const delivery = deliver(
      "engagement",
      morphEnvelope(
        "crmEngagement",
        "created",
        id,
        snapshot.fields,
        snapshot.createdAt,
        snapshot.updatedAt,
      ),
    );
    created.push({ id, snapshot, created: delivery });
    creates.push(delivery);
  }
  // A few odd ones: Morph passes through what the CRM has, even when it does not fit the model.
  const oddCount = Math.max(3, Math.round(count * 0.01));
  for (let i = 0; i < oddCount; i++) {
    const id = String(idBase + 600_000 + i);
    const startedAt = workdayTime(rng, now, 56);
    const snapshot = engagementSnapshot(rng, world, { id, type: "call", startedAt, now });
    const fields = { ...snapshot.fields };
    if (i % 3 === 0) {
      fields.type = "sms";
      fields.title = "SMS: running 5 minutes late";
      delete fields.duration;
      delete fields.endedAt;
    } else if (i % 3 === 1) {
      fields.startedAt = "next Tuesday 10am";
    } else {
      fields.duration = -30;
    }
    creates.push(
      deliver(
        "odd",
        morphEnvelope(
          "crmEngagement",
          "created",
          id,
          fields,
          snapshot.createdAt,
          snapshot.updatedAt,
        ),
      ),
    );
  }
  phases.push(creates);

  // Later: edits (a newer snapshot), deletes, and Morph redelivering some attempts verbatim.
  const later: SimDelivery[] = [];
  const edited: { sent: Sent; newer: number }[] = [];
  const deleted: Sent[] = [];
  for (const sent of created) {
    const roll = rng.next();
    if (roll < 0.2) {
      const newer = Math.min(now, sent.snapshot.updatedAt + rng.int(1, 48) * 3_600_000);
      if (newer <= sent.snapshot.updatedAt) continue;
      const fields = { ...sent.snapshot.fields };
      fields.title = `${String(fields.title)} (updated)`;
      if (fields.status === "planned") fields.status = "completed";
      later.push(
        deliver(
          "update",
          morphEnvelope(
            "crmEngagement",
            "updated",
            sent.id,
            fields,
            sent.snapshot.createdAt,
            newer,
          ),
        ),
      );
      edited.push({ sent, newer });
    } else if (roll < 0.25) {
      const at = Math.min(now, sent.snapshot.updatedAt + rng.int(1, 72) * 3_600_000);
      if (at <= sent.snapshot.updatedAt) continue;
      later.push(
        deliver(
          "delete",
          morphEnvelope(
            "crmEngagement",
            "deleted",
            sent.id,
            undefined,
            sent.snapshot.createdAt,
            at,
          ),
        ),
      );
      deleted.push(sent);
    } else if (roll < 0.3) {
      later.push({ ...sent.created, kind: "duplicate" });
    }
  }
  if (later.length > 0) phases.push(shuffle(rng, later));

  // Last: snapshots older than what is stored now, arriving late under fresh keys.
  const stale: SimDelivery[] = [];
  for (const { sent } of edited.filter(() => rng.chance(0.5))) {
    const older = sent.snapshot;
    stale.push(
      deliver(
        "stale",
        morphEnvelope(
          "crmEngagement",
          "updated",
          sent.id,
          older.fields,
          older.createdAt,
          older.updatedAt,
        ),
      ),
    );
  }
  for (const sent of deleted.filter(() => rng.chance(0.5))) {
    stale.push(
      deliver(
        "stale",
        morphEnvelope(
          "crmEngagement",
          "updated",
          sent.id,
          sent.snapshot.fields,
          sent.snapshot.createdAt,
          sent.snapshot.updatedAt,
        ),
      ),
    );
  }
  if (stale.length > 0) phases.push(stale);

  const byKind: Record<TrafficKind, number> = {
    record: 0,
    engagement: 0,
    update: 0,
    duplicate: 0,
    stale: 0,
    delete: 0,
    odd: 0,
  };
  let total = 0;
  for (const phase of phases) {
    for (const delivery of phase) {
      byKind[delivery.kind]++;
      total++;
    }
  }
  return { phases, total, byKind };
}

function shuffle<T>(rng: ReturnType<typeof createRng>, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
