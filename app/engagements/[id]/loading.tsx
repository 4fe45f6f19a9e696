export default function Loading() {
  return (
    <main className="mx-auto w-full max-w-5xl px-3 py-4 sm:px-6 sm:py-6" aria-busy="true">
      <span className="sr-only">Loading engagement…</span>
      <div className="flex animate-pulse flex-col gap-4" aria-hidden>
        <div className="h-8 w-2/3 rounded bg-slate-200" />
        <div className="h-40 rounded-lg border border-slate-200 bg-white" />
        <div className="h-64 rounded-lg border border-slate-200 bg-white" />
      </div>
    </main>
  );
}
