import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngagementRows } from "@/components/engagements/engagement-rows";
import { iconsOf, toListRow, type ListRow } from "@/components/engagements/list-row";
import type { EngagementView } from "@/db/types";
import { parseFilter } from "@/lib/filters";
import { deliver } from "../helpers/deliver";
import { fixture } from "../helpers/morph";
import { toEngagementQuery } from "../helpers/read-queries";
import { openEngineStore, testEngines, type EngineStore } from "../helpers/engines";

// The list sends each row to the browser as a ListRow; these hold it to what the table showed
// when it rendered the whole EngagementView, through real ingest and the real page query.

function engagement(id: string, fields: Record<string, unknown>) {
  return {
    event: "crmEngagement::created",
    data: {
      object: "resource",
      model: "crmEngagement",
      id,
      fields,
      createdAt: "2025-03-01T00:00:00.000Z",
      updatedAt: "2025-03-01T00:00:00.000Z",
    },
  };
}
const ref = (model: string, id: string) => ({ object: "resourceRef", model, id });

const html = (row: ListRow) => renderToStaticMarkup(createElement(EngagementRows, { rows: [row] }));

describe.each(testEngines())("on %s", (engine) => {
  let opened: EngineStore;
  let views: EngagementView[] = [];

  async function post(body: unknown) {
    expect((await deliver(opened.store, body)).status).toBe(200);
  }

  beforeAll(async () => {
    opened = await openEngineStore(engine);
    for (const name of ["user-created", "contact-created", "company-created"]) {
      await post(fixture(name));
    }
    await post(fixture("engagement-call-created"));
    await post(fixture("engagement-meeting-updated"));
    await post(fixture("engagement-email-expanded-refs"));
    await post(
      engagement("task-no-status", {
        type: "task",
        title: "Send the order form",
        startedAt: "2025-03-09T08:00:00.000Z",
        owner: ref("genericUser", "never-synced-owner"),
        contacts: [
          ref("genericContact", "9001"),
          ref("genericContact", "9002"),
          ref("genericContact", "9003"),
        ],
      }),
    );
    await post(
      engagement("note-untitled", {
        type: "note",
        status: "completed",
        startedAt: "2025-03-10T08:00:00.000Z",
      }),
    );
    await post(
      engagement("gone", {
        type: "call",
        direction: "inbound",
        title: "Removed call",
        startedAt: "2025-03-11T08:00:00.000Z",
      }),
    );
    await post({
      ...fixture("engagement-deleted"),
      data: { ...fixture("engagement-deleted").data, id: "gone" },
    });
    views = (
      await opened.store.listEngagements(toEngagementQuery(parseFilter({ deleted: "include" })))
    ).data;
  });
  afterAll(() => opened?.cleanup());

  const byExternalId = (id: string) => {
    const view = views.find((v) => v.externalId === id);
    if (!view) throw new Error(`no engagement ${id}`);
    return view;
  };

  describe("a list row", () => {
    it("carries what its type shows and leaves the rest out", () => {
      expect(views.length).toBe(6);
      for (const view of views) {
        const row = toListRow(view);
        expect(row.id).toBe(view.id);
        expect(row.startedAt).toBe(view.startedAt);
        expect("endedAt" in row).toBe(view.type === "meeting" && view.endedAt !== null);
        expect("duration" in row).toBe(view.type === "call" && view.duration !== null);
        expect("description" in row).toBe(false);
        expect(row.deleted === true).toBe(view.deletedAt !== null);
      }
    });

    it("renders a call with its owner, people, duration and direction", () => {
      const view = views.find((v) => v.type === "call" && !v.deletedAt)!;
      const markup = html(toListRow(view));
      expect(markup).toContain(`href="/engagements/${view.id}"`);
      expect(markup).toContain(view.title!);
      expect(view.owner?.resolved).toBe(true);
      expect(markup).toContain(view.owner!.name!);
      expect(markup).toContain(view.contacts[0]!.name ?? view.contacts[0]!.id);
      expect(markup).toContain("23 min");
      expect(markup).toContain("Outbound");
      expect(markup).toContain("#engagement-icon-outbound");
      // The server cannot know the viewer's zone: UTC, labelled, until the browser takes over.
      expect(markup).toContain(`dateTime="${view.startedAt}"`);
      expect(markup).toContain("6 Mar 2025, 09:05 UTC");
    });

    it("renders a meeting's time range", () => {
      const view = views.find((v) => v.type === "meeting")!;
      expect(html(toListRow(view))).toContain(">14:00–15:00</time>");
    });

    it("names records not synced yet by id, and counts the people past the first", () => {
      const markup = html(toListRow(byExternalId("task-no-status")));
      expect(markup).toContain('title="Not synced yet">never-synced-owner<');
      expect(markup).toContain(" +2<");
      // A task always says its status, even when it has none.
      expect(markup).toContain("No status");
    });

    it("marks a deleted engagement and titles an untitled one by its type", () => {
      expect(html(toListRow(byExternalId("gone")))).toContain('class="deleted-tag">Deleted<');
      const note = html(toListRow(byExternalId("note-untitled")));
      expect(note).toContain("Untitled note");
      expect(note).toContain("Completed");
      expect(note).toContain("No owner");
    });

    it("points only at icons the page's sprite draws", () => {
      const rows = views.map(toListRow);
      const icons = iconsOf(rows);
      const markup = renderToStaticMarkup(createElement(EngagementRows, { rows }));
      const used = new Set([...markup.matchAll(/#engagement-icon-([a-z]+)/g)].map((m) => m[1]));
      expect([...used].sort()).toEqual([...icons].sort());
    });
  });
});
