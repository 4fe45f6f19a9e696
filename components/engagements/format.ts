import type { MultiKey } from "@/lib/filters";
import type { SpriteName } from "./sprite-icon";

const TYPE_LABELS: Record<string, string> = {
  call: "Call",
  meeting: "Meeting",
  email: "Email",
  task: "Task",
  note: "Note",
};

export function typeLabel(type: string | null) {
  return type ? (TYPE_LABELS[type] ?? type) : "Unknown type";
}

/** The sprite symbol of a type (unknown types share one). */
export function typeIconName(type: string | null): SpriteName {
  return type && Object.hasOwn(TYPE_LABELS, type) ? (type as SpriteName) : "unknown";
}

/** The type's tile colours (`.type-icon` and `.type-…` in app/globals.css). */
export const typeToneClass = (type: string | null) => `type-icon type-${typeIconName(type)}`;

/** Seconds as "22 min", "1 h 5 min", "45 s". */
export function formatDuration(seconds: number | null): string | null {
  if (seconds === null) return null;
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

const STATUS_LABELS: Record<string, string> = {
  planned: "Planned",
  inProgress: "In progress",
  completed: "Completed",
  canceled: "Canceled",
};

export function statusLabel(status: string | null) {
  return status ? (STATUS_LABELS[status] ?? status) : "No status";
}

export function directionLabel(direction: string | null) {
  if (direction === "inbound") return "Inbound";
  if (direction === "outbound") return "Outbound";
  return direction ?? "No direction";
}

/** A type, status or direction value as its chip and facet show it. */
export function filterValueLabel(key: MultiKey, value: string) {
  if (key === "type") return typeLabel(value);
  return key === "status" ? statusLabel(value) : directionLabel(value);
}

export function formatAmount(amount: unknown, currency: unknown) {
  if (typeof amount !== "number") return null;
  if (typeof currency === "string" && /^[A-Za-z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat("en", { style: "currency", currency }).format(amount);
    } catch {
      // Not a currency Intl knows: fall through to a plain number.
    }
  }
  return `${new Intl.NumberFormat("en").format(amount)}${typeof currency === "string" ? ` ${currency}` : ""}`;
}
