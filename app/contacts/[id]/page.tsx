import { RecordPage, type RecordPageProps } from "@/components/records/record-page";

export default function ContactPage(props: RecordPageProps) {
  return <RecordPage model="genericContact" {...props} />;
}
