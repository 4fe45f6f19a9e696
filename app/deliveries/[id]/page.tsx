import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Repeat, TriangleAlert } from "lucide-react";
import { getDatabase } from "@/db/client";
import { getDelivery, type DeliveryDetail } from "@/db/queries/deliveries";
import { BackLink } from "@/components/ui/back-link";
import { Badge, OutcomeBadge, StatusCode } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DescriptionList } from "@/components/ui/description-list";
import { JsonBlock } from "@/components/ui/json-block";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";
import { deliveriesHref, formatConnection } from "@/lib/filters";
import { parseId } from "@/lib/parse-id";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Delivery ${(await params).id}` };
}

const link = "text-sky-700 hover:underline";

export default async function DeliveryPage({ params, searchParams }: Props) {
  const id = parseId((await params).id);
  const reprocessError = (await searchParams).reprocess;
  const delivery = id === null ? null : getDelivery(getDatabase(), id);
  if (!delivery) notFound();

  return (
    <>
      <BackLink href="/deliveries">Delivery log</BackLink>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            Delivery {delivery.id} <OutcomeBadge outcome={delivery.outcome} />
            <StatusCode status={delivery.httpStatus} />
          </span>
        }
        description={
          <>
            <span className="font-mono">{delivery.event ?? "unknown event"}</span> · received{" "}
            <LocalTime value={delivery.receivedAt} />
          </>
        }
      />

      <div className="space-y-4">
        <Relations delivery={delivery} />
        <Reprocess
          delivery={delivery}
          error={typeof reprocessError === "string" ? reprocessError : undefined}
        />

        <Card title="Summary" id="summary">
          <DescriptionList
            items={[
              ["Received", <LocalTime key="r" value={delivery.receivedAt} />],
              [
                "Connection",
                delivery.connectorId && delivery.connectionOwnerId ? (
                  <Link
                    className={link}
                    href={deliveriesHref({
                      connection: {
                        connectorId: delivery.connectorId,
                        connectionOwnerId: delivery.connectionOwnerId,
                      },
                    })}
                  >
                    {formatConnection({
                      connectorId: delivery.connectorId,
                      connectionOwnerId: delivery.connectionOwnerId,
                    })}
                  </Link>
                ) : null,
              ],
              [
                "Idempotency key",
                delivery.idempotencyKey && (
                  <Link
                    className={`${link} font-mono`}
                    href={deliveriesHref({ key: delivery.idempotencyKey })}
                    title="Every delivery with this key"
                  >
                    {delivery.idempotencyKey}
                  </Link>
                ),
              ],
              ["Event", delivery.event && <span className="font-mono">{delivery.event}</span>],
              ["Model", delivery.model],
              [
                "Resource id",
                delivery.resourceId && (
                  <Link
                    className={`${link} font-mono`}
                    href={deliveriesHref({ resource: delivery.resourceId })}
                    title="Every delivery about this resource"
                  >
                    {delivery.resourceId}
                  </Link>
                ),
              ],
              [
                "Engagement",
                delivery.engagement && (
                  <span className="inline-flex flex-wrap items-center gap-2">
                    <Link className={link} href={`/engagements/${delivery.engagement.id}`}>
                      {delivery.engagement.title || delivery.engagement.externalId}
                    </Link>
                    {delivery.engagement.type && <Badge>{delivery.engagement.type}</Badge>}
                    {delivery.engagement.deletedAt && <Badge tone="red">deleted</Badge>}
                  </span>
                ),
              ],
              ["HTTP status", <StatusCode key="s" status={delivery.httpStatus} />],
              ["Processing time", `${delivery.durationMs} ms`],
              ["Body size", delivery.bodyBytes === null ? null : `${delivery.bodyBytes} bytes`],
            ]}
          />
        </Card>

        {delivery.warnings.length > 0 && (
          <Card title={`Warnings (${delivery.warnings.length})`} id="warnings">
            <ul className="list-disc space-y-1 pl-5 text-sm text-amber-900">
              {delivery.warnings.map((warning, index) => (
                <li key={index}>{warning}</li>
              ))}
            </ul>
          </Card>
        )}

        {delivery.error && (
          <Card title="Error" id="error">
            <p className="flex items-start gap-2 text-sm">
              <TriangleAlert className="mt-0.5 size-4 shrink-0 text-rose-600" aria-hidden />
              <span>
                <code className="font-mono font-semibold text-rose-800">{delivery.error.code}</code>
                : {delivery.error.message}
              </span>
            </p>
            {delivery.error.details !== undefined && (
              <div className="mt-3">
                <JsonBlock value={delivery.error.details} label="details" />
              </div>
            )}
          </Card>
        )}

        <Card title="Headers" id="headers">
          <HeaderTable headers={delivery.headers} />
        </Card>

        <Card title="Request body" id="body">
          <JsonBlock value={delivery.body} label="body" />
        </Card>

        <Card
          title="Response"
          id="response"
          actions={
            delivery.httpStatus === 200 && delivery.outcome !== "duplicate" ? (
              <span className="text-xs text-slate-500">
                The event echoed back, as Morph expects
              </span>
            ) : undefined
          }
        >
          {delivery.response !== null && delivery.response === delivery.body ? (
            // The echo is byte for byte the body above: one click away, not a second wall of JSON.
            <JsonBlock value={delivery.response} label="response" collapseAboveLines={0} />
          ) : (
            <JsonBlock value={delivery.response} label="response" />
          )}
        </Card>
      </div>
    </>
  );
}

/** The deliveries this one is tied to by its key: the original it repeats, or its repeats. */
function Relations({ delivery }: { delivery: DeliveryDetail }) {
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

function HeaderTable({ headers }: { headers: Record<string, string> }) {
  const entries = Object.entries(headers);
  if (entries.length === 0) return <p className="text-sm text-slate-500">None recorded.</p>;
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">Request headers kept in the log</caption>
      <tbody className="divide-y divide-slate-100">
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th
              scope="row"
              className="py-1.5 pr-4 text-left align-top font-mono text-xs font-medium text-slate-500"
            >
              {name}
            </th>
            <td className="py-1.5 font-mono text-xs break-all text-slate-900">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const REPROCESS_ERRORS: Record<string, string> = {
  body_unavailable:
    "This delivery has no stored body (too large, or pruned), so it cannot be applied again.",
  connection_unknown: "This delivery did not say which connection it came from.",
  not_reprocessable: "Only rejected or conflicting deliveries can be reprocessed.",
};

/** Re-apply a refused or conflicting delivery through the same rules; it gets its own log row. */
function Reprocess({ delivery, error }: { delivery: DeliveryDetail; error?: string }) {
  if (delivery.outcome !== "rejected" && delivery.outcome !== "conflict") return null;
  return (
    <Card title="Reprocess" id="reprocess">
      <p className="text-sm text-slate-600">
        Apply this delivery&apos;s body again, as if it had just arrived: validation, ordering and
        tombstones apply, and the attempt gets a log row of its own. Reprocessing it twice applies
        it once.
      </p>
      {error ? (
        <p role="status" className="mt-2 text-sm text-rose-700">
          {REPROCESS_ERRORS[error] ?? "It could not be reprocessed."}
        </p>
      ) : null}
      <form method="post" action={`/api/deliveries/${delivery.id}/reprocess`} className="mt-3">
        <button
          type="submit"
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2"
        >
          Reprocess delivery
        </button>
      </form>
    </Card>
  );
}
