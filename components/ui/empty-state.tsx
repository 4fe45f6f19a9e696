import { Inbox } from "lucide-react";

/** What to show when a list is empty, and what to do about it. */
export function EmptyState({
  title,
  children,
  icon: Icon = Inbox,
}: {
  title: string;
  children?: React.ReactNode;
  icon?: React.ComponentType<{ className?: string; "aria-hidden"?: boolean }>;
}) {
  return (
    <div className="flex flex-col items-center gap-2 px-6 py-12 text-center">
      <Icon className="size-8 text-slate-400" aria-hidden />
      <h2 className="font-medium text-slate-800">{title}</h2>
      {children && <div className="max-w-prose text-sm text-slate-600">{children}</div>}
    </div>
  );
}
