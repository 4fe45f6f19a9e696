import Link from "next/link";
import { EventPicker } from "@/components/deliveries/event-picker";
import { InputField } from "@/components/ui/field";
import { ZoneNote } from "@/components/ui/zone-note";
import {
  DEFAULT_LIMIT,
  deliveriesHref,
  formatConnection,
  type DeliveryFilter,
} from "@/lib/filters";
import type { ViewerZone } from "@/lib/viewer-zone";

/** The log's filters as a plain GET form: the URL is the state, so it works without JavaScript. */
export function DeliveryFilterForm({
  filter,
  choices,
  zone,
}: {
  filter: DeliveryFilter;
  choices: { events: string[]; connections: string[] };
  zone: ViewerZone;
}) {
  const connection = filter.connection ? formatConnection(filter.connection) : "";
  return (
    <form
      action="/deliveries"
      method="get"
      className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-xs sm:grid-cols-4 lg:grid-cols-12"
      aria-label="Filter deliveries"
    >
      {/* The outcome pills above the table choose outcomes; the form keeps them as they are. */}
      {filter.outcome.map((outcome) => (
        <input key={outcome} type="hidden" name="outcome" value={outcome} />
      ))}
      <EventPicker
        selected={filter.event}
        events={choices.events}
        className="col-span-2 sm:col-span-1 lg:col-span-5"
      />
      <InputField
        id="f-connection"
        label="Connection"
        name="connection"
        list="f-connection-choices"
        defaultValue={connection}
        placeholder="connector:owner"
        className="col-span-2 sm:col-span-1 lg:col-span-3"
      >
        <datalist id="f-connection-choices">
          {choices.connections.map((value) => (
            <option key={value} value={value} />
          ))}
        </datalist>
      </InputField>
      <InputField
        id="f-key"
        label="Idempotency key"
        name="key"
        defaultValue={filter.key ?? ""}
        className="lg:col-span-2"
      />
      <InputField
        id="f-resource"
        label="Resource id"
        name="resource"
        defaultValue={filter.resource ?? ""}
        className="lg:col-span-2"
      />
      <InputField
        id="f-from"
        label="From"
        name="from"
        type="date"
        defaultValue={filter.from?.slice(0, 10) ?? ""}
        className="lg:col-span-2"
      />
      <InputField
        id="f-to"
        label="To"
        name="to"
        type="date"
        defaultValue={filter.to?.slice(0, 10) ?? ""}
        className="lg:col-span-2"
      />
      {filter.limit !== DEFAULT_LIMIT && <input type="hidden" name="limit" value={filter.limit} />}
      {filter.tz && <input type="hidden" name="tz" value={filter.tz} />}
      <div className="col-span-2 flex items-end gap-2 sm:col-span-4 lg:col-span-8">
        <button
          type="submit"
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-700"
        >
          Apply filters
        </button>
        <Link
          href={deliveriesHref({ tz: filter.tz })}
          className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100"
        >
          Clear
        </Link>
        <ZoneNote zone={zone} className="ml-auto self-center" />
      </div>
    </form>
  );
}
