const MAX_SHOWN_CHARS = 200_000;

/** Pretty-prints JSON (or shows raw text as is), collapsed behind a summary when long. */
export function JsonBlock({
  value,
  label = "JSON",
  collapseAboveLines = 24,
  open,
}: {
  /** A JSON string, any JSON-able value, or null. */
  value: unknown;
  label?: string;
  collapseAboveLines?: number;
  open?: boolean;
}) {
  if (value === null || value === undefined) {
    return <p className="text-sm text-slate-500">None recorded.</p>;
  }
  const full = prettyJson(value);
  // A 1 MiB body would make a page nobody can scroll; the API has it whole.
  const text =
    full.length > MAX_SHOWN_CHARS
      ? `${full.slice(0, MAX_SHOWN_CHARS)}\n… truncated: ${full.length - MAX_SHOWN_CHARS} more characters`
      : full;
  const lines = text.split("\n").length;
  // Text only: React escapes it, so a payload can never become markup.
  const pre = (
    <pre className="max-h-[32rem] overflow-auto rounded-md bg-slate-950 p-3 font-mono text-xs leading-relaxed text-slate-100">
      <code>{text}</code>
    </pre>
  );
  if (lines <= collapseAboveLines && !open) return pre;
  return (
    <details open={open} className="group">
      <summary className="cursor-pointer text-sm font-medium text-sky-700 select-none hover:underline">
        <span className="group-open:hidden">Show {label}</span>
        <span className="hidden group-open:inline">Hide {label}</span>{" "}
        <span className="text-slate-500">({lines} lines)</span>
      </summary>
      <div className="mt-2">{pre}</div>
    </details>
  );
}

/** JSON text indented by two spaces; text that is not JSON is returned unchanged. */
export function prettyJson(value: unknown): string {
  if (typeof value !== "string") return JSON.stringify(value, null, 2) ?? String(value);
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}
