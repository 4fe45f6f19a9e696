import { RecordLayout } from "@/components/records/record-page";

export default function Layout(props: {
  params: Promise<{ id: string }>;
  children: React.ReactNode;
}) {
  return <RecordLayout model="genericContact" {...props} />;
}
