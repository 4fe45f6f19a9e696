import { RecordPage, type RecordPageProps } from "@/components/records/record-page";

export default function CompanyPage(props: RecordPageProps) {
  return <RecordPage model="genericCompany" {...props} />;
}
