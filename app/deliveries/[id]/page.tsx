import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { loadDelivery } from "@/lib/deliveries/load-deliveries";
import { DeliveryExchange } from "@/components/deliveries/delivery-exchange";
import { DeliveryHeaders } from "@/components/deliveries/delivery-headers";
import { DeliveryIssues } from "@/components/deliveries/delivery-issues";
import { DeliveryRelations } from "@/components/deliveries/delivery-relations";
import { DeliveryReprocess } from "@/components/deliveries/delivery-reprocess";
import { DeliverySummaryCard } from "@/components/deliveries/delivery-summary";
import { BackLink } from "@/components/ui/back-link";
import { OutcomeBadge, StatusCode } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import { PageHeader } from "@/components/ui/page-header";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Delivery ${(await params).id}` };
}

export default async function DeliveryPage({ params, searchParams }: Props) {
  const reprocessError = (await searchParams).reprocess;
  const delivery = await loadDelivery((await params).id);
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
        <DeliveryRelations delivery={delivery} />
        <DeliveryReprocess
          delivery={delivery}
          error={typeof reprocessError === "string" ? reprocessError : undefined}
        />
        <DeliverySummaryCard delivery={delivery} />
        <DeliveryIssues delivery={delivery} />
        <DeliveryHeaders headers={delivery.headers} />
        <DeliveryExchange delivery={delivery} />
      </div>
    </>
  );
}
