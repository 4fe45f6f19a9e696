import { describe, expect, it } from "vitest";
import { prettyJson } from "@/components/ui/json-block";
import { relativeTime } from "@/components/ui/local-time";
import { formatProcessingTime } from "@/components/deliveries/format";

describe("relativeTime", () => {
  const now = Date.parse("2025-03-06T12:00:00Z");
  it("picks the closest sensible unit", () => {
    expect(relativeTime(now - 3 * 3_600_000, now, "en")).toBe("3 hours ago");
    expect(relativeTime(now - 86_400_000, now, "en")).toBe("yesterday");
    expect(relativeTime(now - 5 * 60_000, now, "en")).toBe("5 minutes ago");
    expect(relativeTime(now + 2 * 86_400_000, now, "en")).toBe("in 2 days");
    expect(relativeTime(now - 30_000, now, "en")).toBe("30 seconds ago");
  });
  it("calls a server clock slightly ahead of the viewer's 'now'", () => {
    expect(relativeTime(now + 20_000, now, "en")).toBe("now");
    expect(relativeTime(now - 2_000, now, "en")).toBe("now");
  });
});

describe("prettyJson", () => {
  it("indents JSON text and leaves anything else as it came", () => {
    expect(prettyJson('{"a":[1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyJson("<b>not json</b>")).toBe("<b>not json</b>");
    expect(prettyJson({ code: "x" })).toBe('{\n  "code": "x"\n}');
  });
});

describe("JsonBlock", () => {
  it("truncates what it shows of a huge body", async () => {
    const { renderToStaticMarkup } = await import("react-dom/server");
    const { JsonBlock } = await import("@/components/ui/json-block");
    const html = renderToStaticMarkup(JsonBlock({ value: "x".repeat(300_000) }));
    expect(html).toContain("truncated: 100000 more characters");
    expect(html.length).toBeLessThan(210_000);
    const hostile = renderToStaticMarkup(JsonBlock({ value: '{"t":"<script>alert(1)</script>"}' }));
    expect(hostile).not.toContain("<script>");
    expect(hostile).toContain("&lt;script&gt;");
  });
});

describe("formatProcessingTime", () => {
  it("keeps fractions of a millisecond, fewer as the time grows", () => {
    expect(formatProcessingTime(0.4213)).toBe("0.42 ms");
    expect(formatProcessingTime(0.001)).toBe("< 0.01 ms");
    expect(formatProcessingTime(0)).toBe("0 ms");
    expect(formatProcessingTime(3.14159)).toBe("3.14 ms");
    expect(formatProcessingTime(12.54)).toBe("12.5 ms");
    expect(formatProcessingTime(1204.4)).toBe("1,204 ms");
  });
});
