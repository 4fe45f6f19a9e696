import { ChevronDown } from "lucide-react";
import { CONTROL } from "@/components/ui/field";

/**
 * The log's `event` filter: a checkbox per event the log has seen, inside a disclosure, so the
 * plain GET form sends each ticked one as its own `event=` and works without JavaScript.
 */
export function EventPicker({
  selected,
  events,
  className,
}: {
  selected: string[];
  events: string[];
  className?: string;
}) {
  // A selected event the log no longer lists (an old link) stays visible, and ticked.
  const choices = [...new Set([...selected, ...events])].sort();
  const summary =
    selected.length === 0
      ? "Any"
      : selected.length === 1
        ? selected[0]
        : `${selected.length} events`;
  return (
    <div className={className}>
      <span id="f-event-label" className="mb-1 block text-xs font-medium text-slate-600">
        Event
      </span>
      {/* Opens in place, so it never covers the form's buttons. */}
      <details className="group">
        <summary
          aria-labelledby="f-event-label f-event-summary"
          className={`${CONTROL} flex cursor-pointer list-none items-center justify-between gap-2`}
        >
          <span id="f-event-summary" className="truncate font-mono text-xs">
            {summary}
          </span>
          <ChevronDown
            aria-hidden
            className="size-4 shrink-0 text-slate-500 group-open:rotate-180"
          />
        </summary>
        <fieldset className="mt-1 max-h-48 overflow-y-auto rounded-md border border-slate-300 bg-white p-2">
          <legend className="sr-only">Events to show</legend>
          {choices.length === 0 ? (
            <p className="px-1 py-0.5 text-sm text-slate-600">No events received yet.</p>
          ) : (
            choices.map((event) => (
              <label
                key={event}
                className="flex items-center gap-2 rounded-sm px-1 py-0.5 font-mono text-xs text-slate-800 hover:bg-slate-50"
              >
                <input
                  type="checkbox"
                  name="event"
                  value={event}
                  defaultChecked={selected.includes(event)}
                />
                {event}
              </label>
            ))
          )}
        </fieldset>
      </details>
    </div>
  );
}
