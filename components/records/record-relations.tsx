import Link from "next/link";
import { Card } from "@/components/ui/card";
import { DETAIL_LINK } from "@/components/engagements/detail-link";
import type { Connection } from "@/db/types";
import { recordHref } from "@/lib/filters";
import type { RelatedSection } from "@/lib/records/record-relations";

/** The records a record page relates to (an opportunity's companies, a company's deals), linked. */
export function RecordRelations({
  sections,
  connection,
}: {
  sections: RelatedSection[];
  connection: Connection;
}) {
  if (sections.length === 0) return null;
  return (
    <div className="mb-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
      {sections.map((section, i) => (
        <Card key={section.title} title={section.title} id={`related-${i}`}>
          {section.records.length === 0 ? (
            <p className="px-4 py-3 text-sm text-slate-600">{section.empty}</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {section.records.map((record) => (
                <li key={record.id} className="flex items-baseline justify-between gap-3 px-4 py-2">
                  <Link
                    href={recordHref(record.model, record.id, connection)}
                    className={`min-w-0 font-medium break-words ${DETAIL_LINK}`}
                  >
                    {record.name ?? record.id}
                  </Link>
                  {record.count !== undefined && (
                    <span className="shrink-0 text-slate-600 tabular-nums">
                      {record.count} engagement{record.count === 1 ? "" : "s"}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Card>
      ))}
    </div>
  );
}
