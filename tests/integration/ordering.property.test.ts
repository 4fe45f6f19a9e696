import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliver } from "../helpers/deliver";
import { openEngineStore, testEngines, type EngineStore } from "../helpers/engines";
import { expectHistoryChains } from "../helpers/history";
import { engagementEvent } from "../helpers/morph";

type Step = { action: "created" | "updated" | "deleted"; minute: number };

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1) + minute * 60_000).toISOString();

/** Events for one id with distinct versions, delivered in an arbitrary order (and some twice). */
const history = fc
  .uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 8 })
  .chain((minutes) =>
    fc.tuple(
      fc.tuple(
        ...minutes.map((minute) =>
          fc
            .constantFrom<Step["action"]>("created", "updated", "deleted")
            .map((action) => ({ action, minute })),
        ),
      ),
      fc.array(fc.nat(), { maxLength: 3 }),
    ),
  )
  .chain(([steps, repeats]) =>
    fc
      .shuffledSubarray([...steps, ...repeats.map((i) => steps[i % steps.length])], {
        minLength: steps.length + repeats.length,
      })
      .map((order) => ({ steps, order })),
  );

describe.each(testEngines())("ordering property on %s", (engine) => {
  let temp: EngineStore;
  beforeAll(async () => {
    temp = await openEngineStore(engine);
  });
  afterAll(() => temp.cleanup());

  it("any interleaving of created/updated/deleted ends in the state of the newest event", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(history, async ({ steps, order }) => {
        const id = `prop-${run++}`;
        for (const step of order) {
          const body = engagementEvent(id, at(step.minute), {
            action: step.action,
            fields: { title: `v${step.minute}` },
          });
          expect((await deliver(temp.store, body, { owner: "prop" })).status).toBe(200);
        }
        const newest = steps.reduce((a, b) => (b.minute > a.minute ? b : a));
        const row = (await temp.one(
          "select title, deleted_at, updated_at from engagements where external_id = ?",
          id,
        )) as { title: string | null; deleted_at: number | null; updated_at: number };
        expect(row.updated_at).toBe(Date.parse(at(newest.minute)));
        if (newest.action === "deleted") {
          expect(row.deleted_at).not.toBeNull();
        } else {
          expect(row.deleted_at).toBeNull();
          expect(row.title).toBe(`v${newest.minute}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("any interleaving leaves a history that chains, version by version, to the stored state", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(history, async ({ order }) => {
        const id = `chain-${run++}`;
        for (const step of order) {
          const body = engagementEvent(id, at(step.minute), {
            action: step.action,
            fields: { title: `v${step.minute}`, status: step.minute % 2 ? "planned" : "completed" },
          });
          expect((await deliver(temp.store, body, { owner: "chain" })).status).toBe(200);
        }
        const row = await temp.one("select id from engagements where external_id = ?", id);
        expectHistoryChains((await temp.store.getEngagement(Number(row!.id)))!);
      }),
      { numRuns: 100 },
    );
  });
});
