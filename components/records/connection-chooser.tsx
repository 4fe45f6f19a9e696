import Link from "next/link";
import type { RecordModel } from "@/db/models";
import type { Connection } from "@/db/types";
import { formatConnection, recordHref } from "@/lib/filters";

/** An id known in several connections: a link to the record in each. */
export function ConnectionChooser({
  model,
  id,
  label,
  known,
}: {
  model: RecordModel;
  id: string;
  label: string;
  known: { connection: Connection; name: string | null }[];
}) {
  return (
    <div className="mx-auto w-full max-w-3xl">
      <h1 className="text-xl font-semibold">
        {label} {id} exists in {known.length} connections
      </h1>
      <p className="mt-2 text-slate-600">
        Ids are only unique within one CRM connection. Which one do you mean?
      </p>
      <ul className="mt-4 flex flex-col gap-2">
        {known.map(({ connection: c, name }) => (
          <li key={formatConnection(c)}>
            <Link href={recordHref(model, id, c)} className="text-sky-700 underline">
              {name ?? `${label} ${id}`} in {formatConnection(c)}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
