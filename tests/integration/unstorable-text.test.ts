import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFilter } from "@/lib/filters";
import { deliver } from "../helpers/deliver";
import { openEngineStore, testEngines, type EngineStore } from "../helpers/engines";
import { toEngagementQuery } from "../helpers/read-queries";

const contact = (id: string, firstName: string) => ({
  object: "resource",
  model: "genericContact",
  id,
  fields: { firstName },
  updatedAt: "2025-01-01T00:00:00Z",
});

/** Text PostgreSQL cannot hold as sent (lone surrogates) is stored, never a 500. */
describe.each(testEngines())("unstorable characters on %s", (engine) => {
  let opened: EngineStore;
  beforeAll(async () => {
    opened = await openEngineStore(engine);
  });
  afterAll(() => opened.cleanup());

  it("stores an engagement whose contacts differ only in lone surrogates", async () => {
    const result = await deliver(opened.store, {
      event: "crmEngagement::created",
      data: {
        object: "resource",
        model: "crmEngagement",
        id: "lone-surrogates",
        fields: {
          type: "call",
          title: "half a pair \ud83d",
          startedAt: "2025-01-01T00:00:00Z",
          contacts: [contact("x\ud800", "a"), contact("x\ud801", "b")],
        },
        updatedAt: "2025-01-01T00:00:00Z",
      },
    });
    expect(result.status).toBe(200);
    expect(result.outcome).toBe("applied");
    const page = await opened.store.listEngagements(toEngagementQuery(parseFilter({})));
    expect(page.data).toHaveLength(1);
    // SQLite keeps both ids; PostgreSQL stores each as U+FFFD, so they become one contact.
    expect(page.data[0]!.contacts.length).toBe(engine === "sqlite" ? 2 : 1);
  });
});
