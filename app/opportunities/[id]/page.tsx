import { RecordPage, type RecordPageProps } from "@/components/records/record-page";

export default function OpportunityPage(props: RecordPageProps) {
  return <RecordPage model="crmOpportunity" {...props} />;
}
