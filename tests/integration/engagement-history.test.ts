import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getEngagementRoute } from "@/app/api/engagements/[id]/route";
import type { HistoryEntry } from "@/db/types";
import { ingest } from "@/lib/ingest/ingest";
import { pruneDeliveryBodies } from "@/lib/maintenance";
import { setUpAppStore, testEngines, type EngineStore } from "../helpers/engines";
import { expectHistoryChains } from "../helpers/history";
import { engagementEvent } from "../helpers/morph";

const DAY = 86_400_000;
const RECEIVED = Date.parse("2025-03-20T10:00:00.000Z");
const ref = (model: string, id: string) => ({ object: "resourceRef", model, id });

/** A meeting snapshot of `id` at `updatedAt`, with `fields` over a full set of values. */
function meeting(
  id: string,
  updatedAt: string,
  fields: Record<string, unknown> = {},
  action: "created" | "updated" = "updated",
) {
  return engagementEvent(id, updatedAt, {
    action,
    fields: {
      type: "meeting",
      direction: "inbound",
      status: "planned",
      title: "Kick-off",
      description: "Agenda: scope",
      startedAt: "2025-03-06T09:00:00.000Z",
      endedAt: "2025-03-06T10:00:00.000Z",
      duration: 3600,
      owner: ref("genericUser", "501"),
      // Not in order: the history keeps each list as sorted ids.
      contacts: [ref("genericContact", "9002"), ref("genericContact", "9001")],
      companies: [ref("genericCompany", "7001")],
      ...fields,
    },
  });
}

describe.each(testEngines())("engagement history on %s", (engine) => {
  let opened: EngineStore;
  let n = 0;
  beforeAll(async () => {
    opened = await setUpAppStore(engine);
  });
  afterAll(() => opened.cleanup());

  const send = (body: unknown, key = `history-${++n}`, receivedAt = RECEIVED + n * 1000) =>
    ingest(opened.store, typeof body === "string" ? body : JSON.stringify(body), {
      connectorId: "hubspot",
      connectionOwnerId: "acme-prod",
      idempotencyKey: key,
      headers: {},
      receivedAt,
    });
  /** Its history, checked to chain to what the engagement holds. */
  const historyOf = async (engagementId: number) => {
    const detail = (await opened.store.getEngagement(engagementId))!;
    expectHistoryChains(detail);
    return detail.history;
  };
  const engagementOf = async (deliveryId: number) =>
    (await opened.store.getDelivery(deliveryId))!.engagementId!;

  it("records a create as its first version: every field with a value, from null", async () => {
    const created = await send(meeting("h-1", "2025-03-06T11:00:00.000Z", {}, "created"));
    const id = await engagementOf(created.deliveryId);
    expect(await historyOf(id)).toEqual([
      {
        deliveryId: created.deliveryId,
        receivedAt: new Date(RECEIVED + n * 1000).toISOString(),
        event: "crmEngagement::created",
        updatedAt: "2025-03-06T11:00:00.000Z",
        changes: [
          { field: "type", from: null, to: "meeting" },
          { field: "direction", from: null, to: "inbound" },
          { field: "status", from: null, to: "planned" },
          { field: "title", from: null, to: "Kick-off" },
          { field: "description", from: null, to: "Agenda: scope" },
          { field: "startedAt", from: null, to: "2025-03-06T09:00:00.000Z" },
          { field: "endedAt", from: null, to: "2025-03-06T10:00:00.000Z" },
          { field: "duration", from: null, to: 3600 },
          { field: "owner", from: null, to: "501" },
          { field: "contacts", from: null, to: ["9001", "9002"] },
          { field: "companies", from: null, to: ["7001"] },
        ],
      },
    ]);
    expect((await opened.store.getDelivery(created.deliveryId))!.version).toBe(1);
  });

  it("records what an update changed, and nothing for what changed nothing compared", async () => {
    const first = await send(meeting("h-2", "2025-03-06T11:00:00.000Z"));
    const id = await engagementOf(first.deliveryId);
    const update = meeting("h-2", "2025-03-07T11:00:00.000Z", {
      status: "completed",
      title: "Kick-off (done)",
      owner: ref("genericUser", "502"),
      contacts: [ref("genericContact", "9001"), ref("genericContact", "9003")],
      companies: [],
    });
    const updated = await send(update);
    expect(updated.outcome).toBe("applied");
    const replayed = await send(update, `history-${n}`);
    expect(replayed.outcome).toBe("duplicate");
    const conflict = await send(meeting("h-2", "2025-03-08T11:00:00.000Z"), `history-${n}`);
    expect(conflict.outcome).toBe("conflict");
    expect((await send(update)).outcome).toBe("unchanged");
    const stale = await send(meeting("h-2", "2025-03-06T12:00:00.000Z", { title: "Old news" }));
    expect(stale.outcome).toBe("stale");
    expect((await send("{ not json")).outcome).toBe("rejected");
    // Applied (newer, the lists in another order, a field not compared), yet every compared
    // field equals the version before: not a version.
    const same = await send(
      meeting("h-2", "2025-03-09T11:00:00.000Z", {
        status: "completed",
        title: "Kick-off (done)",
        owner: ref("genericUser", "502"),
        contacts: [ref("genericContact", "9003"), ref("genericContact", "9001")],
        companies: [],
        location: "Room 4",
      }),
    );
    expect(same.outcome).toBe("applied");

    const history = await historyOf(id);
    expect(history.map((v) => v.deliveryId)).toEqual([first.deliveryId, updated.deliveryId]);
    expect(history[1]).toEqual({
      deliveryId: updated.deliveryId,
      receivedAt: (await opened.store.getDelivery(updated.deliveryId))!.receivedAt,
      event: "crmEngagement::updated",
      updatedAt: "2025-03-07T11:00:00.000Z",
      changes: [
        { field: "status", from: "planned", to: "completed" },
        { field: "title", from: "Kick-off", to: "Kick-off (done)" },
        { field: "owner", from: "501", to: "502" },
        { field: "contacts", from: ["9001", "9002"], to: ["9001", "9003"] },
        { field: "companies", from: ["7001"], to: [] },
      ],
    });
    for (const none of [replayed, conflict, stale, same]) {
      expect((await opened.store.getDelivery(none.deliveryId))!.version).toBeNull();
    }
    expect((await opened.store.getDelivery(updated.deliveryId))!.version).toBe(2);
  });

  it("records a delete, not a second one, and an update that brings it back", async () => {
    const first = await send(meeting("h-3", "2025-03-06T11:00:00.000Z"));
    const id = await engagementOf(first.deliveryId);
    const deleted = await send(
      engagementEvent("h-3", "2025-03-07T11:00:00.000Z", { action: "deleted" }),
    );
    const again = await send(
      engagementEvent("h-3", "2025-03-08T11:00:00.000Z", { action: "deleted" }),
    );
    expect(again.outcome).toBe("applied");
    const tooOld = await send(meeting("h-3", "2025-03-08T11:00:00.000Z", { title: "Back?" }));
    expect(tooOld.outcome).toBe("stale");
    const back = await send(meeting("h-3", "2025-03-09T11:00:00.000Z", { title: "Back" }));
    const history = await historyOf(id);
    expect(history.slice(1)).toEqual([
      expect.objectContaining({
        deliveryId: deleted.deliveryId,
        event: "crmEngagement::deleted",
        updatedAt: "2025-03-07T11:00:00.000Z",
        changes: [{ field: "deleted", from: false, to: true }],
      }),
      expect.objectContaining({
        deliveryId: back.deliveryId,
        event: "crmEngagement::updated",
        changes: [
          { field: "title", from: "Kick-off", to: "Back" },
          { field: "deleted", from: true, to: false },
        ],
      }),
    ]);
  });

  it("records a delete of an engagement never seen as a first version", async () => {
    const deleted = await send(
      engagementEvent("h-4", "2025-03-07T11:00:00.000Z", { action: "deleted" }),
    );
    const history = await historyOf(await engagementOf(deleted.deliveryId));
    expect(history).toEqual([
      expect.objectContaining({
        deliveryId: deleted.deliveryId,
        event: "crmEngagement::deleted",
        changes: [
          { field: "startedAt", from: null, to: "2025-03-07T11:00:00.000Z" },
          { field: "deleted", from: null, to: true },
        ],
      }),
    ]);
  });

  it("keeps every version when raw bodies are pruned", async () => {
    const old = RECEIVED - 200 * DAY;
    const first = await send(meeting("h-5", "2025-03-06T11:00:00.000Z"), undefined, old);
    await send(meeting("h-5", "2025-03-07T11:00:00.000Z", { status: "canceled" }), undefined, old);
    const id = await engagementOf(first.deliveryId);
    const before = await historyOf(id);
    expect(before).toHaveLength(2);
    const { pruned } = await pruneDeliveryBodies(opened.store, 90);
    expect(pruned).toBeGreaterThanOrEqual(2);
    expect((await opened.store.getDelivery(first.deliveryId))!.body).toBeNull();
    expect(await historyOf(id)).toEqual(before);
  });

  it("answers the history in GET /api/engagements/<id>", async () => {
    const first = await send(meeting("h-6", "2025-03-06T11:00:00.000Z"));
    await send(meeting("h-6", "2025-03-07T11:00:00.000Z", { duration: 1800, endedAt: null }));
    const id = await engagementOf(first.deliveryId);
    const response = await getEngagementRoute(
      new Request(`http://localhost/api/engagements/${id}`),
      { params: Promise.resolve({ id: String(id) }) },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { history: HistoryEntry[] };
    expect(body.history).toEqual(await historyOf(id));
    expect(body.history.map((v) => v.changes.map((c) => c.field))).toEqual([
      [
        "type",
        "direction",
        "status",
        "title",
        "description",
        "startedAt",
        "endedAt",
        "duration",
        "owner",
        "contacts",
        "companies",
      ],
      ["endedAt", "duration"],
    ]);
    expect(body.history[1]!.changes).toEqual([
      { field: "endedAt", from: "2025-03-06T10:00:00.000Z", to: null },
      { field: "duration", from: 3600, to: 1800 },
    ]);
  });
});
