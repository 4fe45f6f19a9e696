import { Card } from "@/components/ui/card";

/** The request headers the log kept, one row each. */
export function DeliveryHeaders({ headers }: { headers: Record<string, string> }) {
  const entries = Object.entries(headers);
  return (
    <Card title="Headers" id="headers">
      {entries.length === 0 ? (
        <p className="text-sm text-slate-500">None recorded.</p>
      ) : (
        <table className="w-full text-sm">
          <caption className="sr-only">Request headers kept in the log</caption>
          <tbody className="divide-y divide-slate-100">
            {entries.map(([name, value]) => (
              <tr key={name}>
                <th
                  scope="row"
                  className="py-1.5 pr-4 text-left align-top font-mono text-xs font-medium text-slate-500"
                >
                  {name}
                </th>
                <td className="py-1.5 font-mono text-xs break-all text-slate-900">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
