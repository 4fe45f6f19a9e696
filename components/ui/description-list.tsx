/** Label / value pairs in two columns (one on a phone); empty values show a dash. */
export function DescriptionList({ items }: { items: [label: string, value: React.ReactNode][] }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr] sm:gap-y-3">
      {items.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-sm font-medium text-slate-500">{label}</dt>
          <dd className="mb-2 min-w-0 text-sm break-words text-slate-900 sm:mb-0">
            {value === null || value === undefined || value === "" ? (
              <span className="text-slate-500">—</span>
            ) : (
              value
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
