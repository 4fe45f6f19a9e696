import Link from "next/link";
import { DELIVERY_OUTCOMES } from "@/db/schema";
import { DEFAULT_LIMIT, type DeliveryFilter } from "@/lib/delivery-filters";

const input =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-xs";
const label = "block text-xs font-medium text-slate-600";

/** The log's filters as a plain GET form: the URL is the state, so it works without JavaScript. */
export function DeliveryFilterForm({
  filter,
  choices,
}: {
  filter: DeliveryFilter;
  choices: { events: string[]; connections: string[] };
}) {
  const connection = filter.connection
    ? `${filter.connection.connectorId}:${filter.connection.connectionOwnerId}`
    : "";
  return (
    <form
      action="/deliveries"
      method="get"
      className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-xs sm:grid-cols-4 lg:grid-cols-12"
      aria-label="Filter deliveries"
    >
      <div className="lg:col-span-2">
        <label htmlFor="f-outcome" className={label}>
          Outcome
        </label>
        <select
          id="f-outcome"
          name="outcome"
          defaultValue={filter.outcome[0] ?? ""}
          className={input}
        >
          <option value="">Any</option>
          {DELIVERY_OUTCOMES.map((outcome) => (
            <option key={outcome} value={outcome}>
              {outcome}
            </option>
          ))}
        </select>
      </div>
      <div className="col-span-2 sm:col-span-1 lg:col-span-3">
        <label htmlFor="f-event" className={label}>
          Event
        </label>
        <input
          id="f-event"
          name="event"
          list="f-event-choices"
          defaultValue={filter.event ?? ""}
          placeholder="crmEngagement::updated"
          className={input}
        />
        <datalist id="f-event-choices">
          {choices.events.map((event) => (
            <option key={event} value={event} />
          ))}
        </datalist>
      </div>
      <div className="col-span-2 sm:col-span-1 lg:col-span-3">
        <label htmlFor="f-connection" className={label}>
          Connection
        </label>
        <input
          id="f-connection"
          name="connection"
          list="f-connection-choices"
          defaultValue={connection}
          placeholder="connector:owner"
          className={input}
        />
        <datalist id="f-connection-choices">
          {choices.connections.map((value) => (
            <option key={value} value={value} />
          ))}
        </datalist>
      </div>
      <div className="lg:col-span-2">
        <label htmlFor="f-key" className={label}>
          Idempotency key
        </label>
        <input id="f-key" name="key" defaultValue={filter.key ?? ""} className={input} />
      </div>
      <div className="lg:col-span-2">
        <label htmlFor="f-resource" className={label}>
          Resource id
        </label>
        <input
          id="f-resource"
          name="resource"
          defaultValue={filter.resource ?? ""}
          className={input}
        />
      </div>
      <div className="lg:col-span-2">
        <label htmlFor="f-from" className={label}>
          From
        </label>
        <input
          id="f-from"
          name="from"
          type="date"
          defaultValue={filter.from?.slice(0, 10) ?? ""}
          className={input}
        />
      </div>
      <div className="lg:col-span-2">
        <label htmlFor="f-to" className={label}>
          To
        </label>
        <input
          id="f-to"
          name="to"
          type="date"
          defaultValue={filter.to?.slice(0, 10) ?? ""}
          className={input}
        />
      </div>
      {filter.limit !== DEFAULT_LIMIT && <input type="hidden" name="limit" value={filter.limit} />}
      <div className="col-span-2 flex items-end gap-2 sm:col-span-4 lg:col-span-8">
        <button
          type="submit"
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-700"
        >
          Apply filters
        </button>
        <Link
          href="/deliveries"
          className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100"
        >
          Clear
        </Link>
        <span className="ml-auto self-center text-xs text-slate-500">Dates are UTC days.</span>
      </div>
    </form>
  );
}
