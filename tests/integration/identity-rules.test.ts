import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/morph/route";
import { setUpAppStore, testEngines, type EngineStore } from "../helpers/engines";
import { engagementEvent, fixture, webhookRequest, type PostOptions } from "../helpers/morph";

async function post(body: unknown, options: PostOptions = {}) {
  const response = await POST(webhookRequest(body, options));
  await response.text();
  return { status: response.status, outcome: response.headers.get("x-delivery-outcome") };
}

/** A record event: the fixture with another id, name and version. */
function recordEvent(name: "user-created" | "contact-created", id: string, firstName: string) {
  const event = fixture(name);
  const data = event.data as { fields: Record<string, unknown> };
  return { ...event, data: { ...data, id, fields: { ...data.fields, firstName } } };
}

describe.each(testEngines())("identity and version ties on %s", (engine) => {
  let temp: EngineStore;
  beforeAll(async () => {
    temp = await setUpAppStore(engine, { WEBHOOK_ALLOW_UNSIGNED: "1" });
  });
  afterAll(() => temp.cleanup());

  const engagements = (externalId: string) =>
    temp.all(
      `select connector_id, connection_owner_id, title, deleted_at from engagements
        where external_id = ? order by connector_id`,
      externalId,
    );
  const title = async (externalId: string) => (await engagements(externalId))[0]?.title;

  it("keeps the same id and owner under another connector as another engagement", async () => {
    const at = "2025-03-06T10:00:00Z";
    await post(engagementEvent("idn-1", at, { fields: { title: "From HubSpot" } }));
    const other = engagementEvent("idn-1", at, { fields: { title: "From Salesforce" } });
    expect((await post(other, { connector: "salesforce" })).outcome).toBe("applied");
    expect(await engagements("idn-1")).toEqual([
      {
        connector_id: "hubspot",
        connection_owner_id: "acme-prod",
        title: "From HubSpot",
        deleted_at: null,
      },
      {
        connector_id: "salesforce",
        connection_owner_id: "acme-prod",
        title: "From Salesforce",
        deleted_at: null,
      },
    ]);
  });

  it("keeps the same id under different models apart", async () => {
    await post(engagementEvent("idn-2", "2025-03-06T10:00:00Z", { fields: { title: "A call" } }));
    expect((await post(recordEvent("user-created", "idn-2", "Uma"))).outcome).toBe("applied");
    expect((await post(recordEvent("contact-created", "idn-2", "Cleo"))).outcome).toBe("applied");
    const records = await temp.all(
      "select model, name from records where external_id = 'idn-2' order by model",
    );
    expect(records).toEqual([
      { model: "genericContact", name: "Cleo Ibáñez" },
      { model: "genericUser", name: "Uma Whitfield" },
    ]);
    expect(await title("idn-2")).toBe("A call");
  });

  it("applies a snapshot as new as the stored one with another body: not older is applied", async () => {
    const at = "2025-03-06T10:00:00Z";
    await post(engagementEvent("tie-1", at, { fields: { title: "first" } }));
    const tied = await post(engagementEvent("tie-1", at, { fields: { title: "second" } }));
    expect(tied.outcome).toBe("applied");
    expect(await title("tie-1")).toBe("second");
    const contact = recordEvent("contact-created", "tie-2", "Ann");
    await post(contact);
    expect((await post(recordEvent("contact-created", "tie-2", "Bea"))).outcome).toBe("applied");
    const [record] = await temp.all("select name from records where external_id = 'tie-2'");
    expect(record).toEqual({ name: "Bea Ibáñez" });
  });

  it("lets a tombstone win a tie: only a newer snapshot brings the engagement back", async () => {
    const at = "2025-03-06T10:00:00Z";
    await post(engagementEvent("tie-3", at, { fields: { title: "alive" } }));
    expect((await post(engagementEvent("tie-3", at, { action: "deleted" }))).outcome).toBe(
      "applied",
    );
    const deletedAt = (await engagements("tie-3"))[0]!.deleted_at;
    expect(deletedAt).toBe(Date.parse(at));
    const tiedSnapshot = engagementEvent("tie-3", at, { fields: { title: "tied" } });
    expect((await post(tiedSnapshot)).outcome).toBe("stale");
    expect((await post(engagementEvent("tie-3", at, { action: "deleted" }))).outcome).toBe(
      "unchanged",
    );
    expect(await engagements("tie-3")).toMatchObject([{ title: "alive", deleted_at: deletedAt }]);
    const newer = engagementEvent("tie-3", "2025-03-06T10:00:01Z", { fields: { title: "back" } });
    expect((await post(newer)).outcome).toBe("applied");
    expect(await engagements("tie-3")).toMatchObject([{ title: "back", deleted_at: null }]);
  });

  it("records processing time in fractions of a millisecond", async () => {
    for (let i = 0; i < 5; i++) {
      await post(engagementEvent(`time-${i}`, "2025-03-06T10:00:00Z"));
    }
    const rows = await temp.all(
      "select duration_ms from deliveries where resource_id like 'time-%' order by id",
    );
    const times = rows.map((row) => Number(row.duration_ms));
    expect(times).toHaveLength(5);
    expect(times.every((ms) => ms > 0)).toBe(true);
    // Whole milliseconds would read "0 ms" for nearly every delivery.
    expect(times.some((ms) => !Number.isInteger(ms))).toBe(true);
    const [last] = await temp.all("select id from deliveries order by id desc limit 1");
    const detail = (await temp.store.getDelivery(Number(last!.id)))!;
    expect(detail.durationMs).toBe(times[4]);
  });
});
