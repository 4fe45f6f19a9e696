/** Placeholder with the list's shape; in a route group so /deliveries/[id] keeps a real 404 status. */
export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading" className="animate-pulse">
      <div className="mb-6 h-8 w-48 rounded bg-slate-200" />
      <div className="h-28 rounded-lg bg-slate-200" />
      <div className="mt-4 h-8 w-2/3 rounded bg-slate-200" />
      <div className="mt-4 h-96 rounded-lg bg-slate-200" />
    </div>
  );
}
