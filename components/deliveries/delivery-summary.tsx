import Link from "next/link";
import type { DeliveryDetail } from "@/db/types";
import { Badge, StatusCode } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DescriptionList } from "@/components/ui/description-list";
import { LocalTime } from "@/components/ui/local-time";
import { versionAnchor } from "@/components/engagements/engagement-history";
import { connectionOf, deliveriesHref, formatConnection } from "@/lib/filters";
import { formatProcessingTime } from "./format";

const link = "text-sky-700 hover:underline";

/** The log narrowed to this delivery's key or resource. */
function logLink(only: "key" | "resource", value: string | null, title: string) {
  return (
    value && (
      <Link className={`${link} font-mono`} href={deliveriesHref({ [only]: value })} title={title}>
        {value}
      </Link>
    )
  );
}

/** The engagement's version this delivery made, linked to it in the engagement's history. */
function versionItem(delivery: DeliveryDetail, engagementId: number): [string, React.ReactNode] {
  const { version, outcome } = delivery;
  const none =
    outcome === "applied"
      ? "none: every field it compares matched the version before"
      : `none (${outcome})`;
  return [
    "Version made",
    version === null ? (
      <span className="text-slate-600">{none}</span>
    ) : (
      <Link className={link} href={`/engagements/${engagementId}#${versionAnchor(version)}`}>
        version {version} in the engagement&apos;s history
      </Link>
    ),
  ];
}

/** What the delivery was and what it touched; its connection, key and resource link to the log. */
export function DeliverySummaryCard({ delivery }: { delivery: DeliveryDetail }) {
  const connection = connectionOf(delivery);
  return (
    <Card title="Summary" id="summary">
      <DescriptionList
        items={[
          ["Received", <LocalTime key="r" value={delivery.receivedAt} />],
          [
            "Connection",
            connection ? (
              <Link className={link} href={deliveriesHref({ connection })}>
                {formatConnection(connection)}
              </Link>
            ) : null,
          ],
          [
            "Idempotency key",
            logLink("key", delivery.idempotencyKey, "Every delivery with this key"),
          ],
          ["Event", delivery.event && <span className="font-mono">{delivery.event}</span>],
          ["Model", delivery.model],
          [
            "Resource id",
            logLink("resource", delivery.resourceId, "Every delivery about this resource"),
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
          ...(delivery.engagement ? [versionItem(delivery, delivery.engagement.id)] : []),
          ["HTTP status", <StatusCode key="s" status={delivery.httpStatus} />],
          ["Processing time", formatProcessingTime(delivery.durationMs)],
          ["Body size", delivery.bodyBytes === null ? null : `${delivery.bodyBytes} bytes`],
        ]}
      />
    </Card>
  );
}
