import Link from "next/link";
import { SearchX } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";

export default function NotFound() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white">
      <EmptyState icon={SearchX} title="Not found">
        <p>Nothing here: the link may be wrong, or what it pointed to was never received.</p>
        <p className="mt-3 flex justify-center gap-4">
          <Link href="/engagements" className="font-medium text-sky-700 hover:underline">
            Engagements
          </Link>
          <Link href="/deliveries" className="font-medium text-sky-700 hover:underline">
            Delivery log
          </Link>
        </p>
      </EmptyState>
    </div>
  );
}
