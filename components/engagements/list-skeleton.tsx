import { PageHeader } from "@/components/ui/page-header";

/** The list's shape while the server renders it, so nothing jumps when it arrives. */
export function ListSkeleton({ title }: { title?: string }) {
  return (
    <div aria-busy="true">
      {title && <PageHeader title={title} />}
      <span className="sr-only">Loading engagements…</span>
      <div className="flex animate-pulse flex-col gap-4" aria-hidden>
        <div className="h-44 rounded-lg border border-slate-200 bg-white" />
        <div className="grid gap-4 lg:grid-cols-[14rem_1fr]">
          <div className="flex flex-col gap-3">
            {Array.from({ length: 4 }, (_, i) => (
              <div key={i} className="h-24 rounded bg-slate-200/70" />
            ))}
          </div>
          <div className="flex flex-col gap-3">
            <div className="h-20 rounded-lg border border-slate-200 bg-white" />
            <div className="rounded-lg border border-slate-200 bg-white">
              {Array.from({ length: 10 }, (_, i) => (
                <div
                  key={i}
                  className="flex h-14 items-center gap-3 border-b border-slate-100 px-3"
                >
                  <div className="h-7 w-7 rounded-md bg-slate-200" />
                  <div className="h-3 w-1/3 rounded bg-slate-200" />
                  <div className="ml-auto h-3 w-24 rounded bg-slate-200" />
                </div>
              ))}
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
