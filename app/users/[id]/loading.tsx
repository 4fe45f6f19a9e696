import { ListSkeleton } from "@/components/engagements/list-skeleton";

export default function Loading() {
  return <ListSkeleton />;
}
