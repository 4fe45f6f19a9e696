import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingest } from "@/lib/ingest/ingest";
import { generateTraffic } from "@/scripts/lib/traffic";
import { createTempDatabase } from "../helpers/temp-db";

const temp = createTempDatabase();
afterAll(() => temp.cleanup());

describe("npm run simulate's traffic", () => {
  const traffic = generateTraffic({ count: 120, seed: 7, now: Date.parse("2026-03-02T12:00:00Z") });
  const outcomes = new Map<string, number>();
  const statuses = new Map<number, number>();
  beforeAll(async () => {
    let receivedAt = Date.parse("2026-03-02T12:00:00Z");
    for (const phase of traffic.phases) {
      for (const delivery of phase) {
        const result = await ingest(temp.store, delivery.body, {
          connectorId: "hubspot",
          connectionOwnerId: "acme-prod",
          idempotencyKey: delivery.key,
          headers: {},
          receivedAt: receivedAt++,
        });
        outcomes.set(result.outcome, (outcomes.get(result.outcome) ?? 0) + 1);
        statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
      }
    }
  });
  const sql = temp.db.$client;

  it("is accepted whole: every delivery answered 200", () => {
    expect([...statuses.keys()]).toEqual([200]);
    expect(statuses.get(200)).toBe(traffic.total);
  });

  it("creates engagements of all five types, with resolvable references", () => {
    const types = sql
      .prepare("select type, count(*) as n from engagements group by type")
      .all() as { type: string; n: number }[];
    const byType = Object.fromEntries(types.map((t) => [t.type, t.n]));
    for (const type of ["call", "meeting", "email", "task", "note"]) {
      expect(byType[type], type).toBeGreaterThan(0);
    }
    const unresolved = sql
      .prepare(
        `select count(*) as n from engagement_refs r
         left join records c on c.model = case r.role when 'user' then 'genericUser'
           when 'contact' then 'genericContact' when 'company' then 'genericCompany'
           else 'crmOpportunity' end and c.external_id = r.ref_id
         where c.id is null or c.name is null`,
      )
      .get() as { n: number };
    expect(unresolved.n).toBe(0);
    const users = sql
      .prepare("select count(*) as n from records where model = 'genericUser'")
      .get() as { n: number };
    expect(users.n).toBe(8);
  });

  it("exercises duplicates, stale snapshots and deletes", () => {
    expect(outcomes.get("duplicate")).toBe(traffic.byKind.duplicate);
    expect(traffic.byKind.duplicate).toBeGreaterThan(0);
    expect(outcomes.get("stale")).toBe(traffic.byKind.stale);
    expect(traffic.byKind.stale).toBeGreaterThan(0);
    const deleted = sql
      .prepare("select count(*) as n from engagements where deleted_at is not null")
      .get() as { n: number };
    expect(deleted.n).toBe(traffic.byKind.delete);
    expect(deleted.n).toBeGreaterThan(0);
    const updated = sql
      .prepare("select count(*) as n from engagements where title like '%(updated)'")
      .get() as { n: number };
    expect(updated.n).toBeGreaterThan(0);
  });

  it("keeps odd fields with warnings instead of dropping them", () => {
    const sms = sql.prepare("select warnings from engagements where type = 'sms'").all() as {
      warnings: string;
    }[];
    expect(sms.length).toBeGreaterThan(0);
    expect(JSON.parse(sms[0]!.warnings).join(" ")).toMatch(/fields\.type: unknown value "sms"/);
    const warned = sql
      .prepare("select count(*) as n from deliveries where warnings != '[]'")
      .get() as { n: number };
    expect(warned.n).toBeGreaterThanOrEqual(traffic.byKind.odd);
    const badDate = sql
      .prepare("select count(*) as n from engagements where warnings like '%fields.startedAt%'")
      .get() as { n: number };
    expect(badDate.n).toBeGreaterThan(0);
  });

  it("stores contacts expanded in place", () => {
    const expanded = traffic.phases
      .flat()
      .filter((d) => d.body.includes('"object":"resource","model":"genericContact"'));
    expect(expanded.length).toBeGreaterThan(0);
  });

  it("adds new engagements about the same people under another seed", () => {
    const ids = (t: typeof traffic) =>
      new Set(
        t.phases
          .flat()
          .map((d) => JSON.parse(d.body) as { event: string; data: { id: string } })
          .filter((e) => e.event.startsWith("crmEngagement"))
          .map((e) => e.data.id),
      );
    const other = generateTraffic({ count: 120, seed: 8, now: Date.parse("2026-03-02T12:00:00Z") });
    const mine = ids(traffic);
    expect([...ids(other)].some((id) => mine.has(id))).toBe(false);
    expect(other.phases[0]!.map((d) => d.body)).toEqual(traffic.phases[0]!.map((d) => d.body));
  });

  it("is deterministic for a seed", () => {
    const again = generateTraffic({ count: 120, seed: 7, now: Date.parse("2026-03-02T12:00:00Z") });
    expect(again.phases.flat().map((d) => d.body)).toEqual(
      traffic.phases.flat().map((d) => d.body),
    );
  });
});
