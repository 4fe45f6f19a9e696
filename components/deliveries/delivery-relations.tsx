import Link from "next/link";
import { Repeat } from "lucide-react";
import type { DeliveryDetail } from "@/db/types";
import { LocalTime } from "@/components/ui/local-time";

/** The deliveries this one is tied to by its key: the original it repeats, or its repeats. */
export function DeliveryRelations({ delivery }: { delivery: DeliveryDetail }) {
  if (delivery.original) {
    const verb =
      delivery.outcome === "conflict"
        ? "reused the key of"
        : "repeats (same key, same body, response replayed)";
    return (
      <div className="flex items-start gap-2 rounded-lg border border-sky-200 bg-sky-50 p-3 text-sm text-sky-900">
        <Repeat className="mt-0.5 size-4 shrink-0" aria-hidden />
        <p>
          This delivery {verb}{" "}
          <Link href={`/deliveries/${delivery.original.id}`} className="font-semibold underline">
            delivery {delivery.original.id}
          </Link>{" "}
          ({delivery.original.outcome}, received{" "}
          <LocalTime value={delivery.original.receivedAt} mode="absolute" />
          ).
          {delivery.outcome === "conflict" && " Its body differs, so it was refused with 409."}
        </p>
      </div>
    );
  }
  if (delivery.repeatCount === 0) return null;
  return (
    <div className="rounded-lg border border-sky-200 bg-sky-50 p-3 text-sm text-sky-900">
      <p className="flex items-start gap-2">
        <Repeat className="mt-0.5 size-4 shrink-0" aria-hidden />
        <span>
          This key came back {delivery.repeatCount} {delivery.repeatCount === 1 ? "time" : "times"}
          {delivery.lastRepeatAt && (
            <>
              ; the last on <LocalTime value={delivery.lastRepeatAt} />
            </>
          )}
          :
        </span>
      </p>
      <ul className="mt-2 flex flex-wrap gap-2 pl-6">
        {delivery.repeats.map((repeat) => (
          <li key={repeat.id}>
            <Link href={`/deliveries/${repeat.id}`} className="underline">
              delivery {repeat.id}
            </Link>{" "}
            <span className="text-sky-700">({repeat.outcome})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
