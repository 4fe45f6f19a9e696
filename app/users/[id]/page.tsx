import { RecordPage, type RecordPageProps } from "@/components/records/record-page";

export default function UserPage(props: RecordPageProps) {
  return <RecordPage model="genericUser" {...props} />;
}
