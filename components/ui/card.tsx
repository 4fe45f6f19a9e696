/** A white panel with an optional heading row; the page's unit of grouping. */
export function Card({
  title,
  actions,
  children,
  className = "",
  id,
}: {
  title?: React.ReactNode;
  actions?: React.ReactNode;
  children: React.ReactNode;
  className?: string;
  id?: string;
}) {
  return (
    <section
      id={id}
      className={`rounded-lg border border-slate-200 bg-white shadow-xs ${className}`}
      aria-labelledby={title && id ? `${id}-title` : undefined}
    >
      {(title || actions) && (
        <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
          {title && (
            <h2
              id={id ? `${id}-title` : undefined}
              className="text-sm font-semibold text-slate-800"
            >
              {title}
            </h2>
          )}
          {actions}
        </header>
      )}
      <div className="p-4">{children}</div>
    </section>
  );
}
