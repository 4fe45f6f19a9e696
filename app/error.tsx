"use client";

import { useEffect } from "react";
import { TriangleAlert } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";

/** Any page's unexpected failure: a message and a retry, never a stack trace. */
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest =
    error instanceof Error && "digest" in error
      ? String((error as { digest?: unknown }).digest)
      : null;

  return (
    <div className="rounded-lg border border-slate-200 bg-white">
      <EmptyState icon={TriangleAlert} title="Something went wrong on our side">
        <p>
          The page could not be shown. Trying again often helps; the server log has the details.
        </p>
        {digest && <p className="mt-1 font-mono text-xs text-slate-500">Reference: {digest}</p>}
        <button
          type="button"
          onClick={() => retry()}
          className="mt-4 rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700"
        >
          Try again
        </button>
      </EmptyState>
    </div>
  );
}
