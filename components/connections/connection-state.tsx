import { Badge } from "@/components/ui/badge";
import type { ConnectionView } from "@/lib/connections/load-connections";

/** A connection's state in one word: what the operator should make of it. */
export function ConnectionState({ connection }: { connection: ConnectionView }) {
  if (connection.retired) {
    return (
      <Badge tone="slate" title="Silent for over 30 days: taken for retired, no banner">
        retired
      </Badge>
    );
  }
  if (connection.silent) {
    return (
      <Badge tone="amber" title="Nothing has arrived for longer than CONNECTION_SILENCE_HOURS">
        silent
      </Badge>
    );
  }
  if (connection.alarm === "troubled") {
    return (
      <Badge
        tone="red"
        title="More than half of its last 100 deliveries were conflicts or rejected"
      >
        mostly refused
      </Badge>
    );
  }
  return <Badge tone="green">receiving</Badge>;
}
