import { Inbox } from "lucide-react";

/** Nothing was ever received: where to point Morph's webhook, or how to send sample traffic. */
export function NothingYet({ origin }: { origin: string }) {
  return (
    <div
      className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center"
      data-testid="empty-nothing-yet"
    >
      <Inbox aria-hidden className="mx-auto mb-3 text-slate-400" size={32} />
      <h2 className="text-lg font-semibold">No engagements yet</h2>
      <p className="mx-auto mt-2 max-w-xl text-sm text-slate-600">
        Point Morph&apos;s webhook at{" "}
        <code className="rounded bg-slate-100 px-1 py-0.5 break-all">
          {origin}/api/webhooks/morph?token=…
        </code>{" "}
        (the full URL with its token is printed when the server starts), or run{" "}
        <code className="rounded bg-slate-100 px-1 py-0.5">npm run simulate</code> to send realistic
        sample traffic.
      </p>
    </div>
  );
}
