"use client";

import { useId, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Search } from "lucide-react";
import { Field } from "@/components/ui/field";

type Suggestion = {
  model: string;
  id: string;
  name: string | null;
  email: string | null;
  connection: string;
};

/**
 * A filter picker: type a name or email, choose a suggestion, land on the filtered URL.
 * `hrefTemplate` is built on the server by lib/filters with `__ID__` where the id goes, so the
 * URL format lives in one place.
 */
export function RecordPicker({
  label,
  model,
  hrefTemplate,
  connection,
}: {
  label: string;
  model: string;
  hrefTemplate: string;
  connection?: string | null;
}) {
  const router = useRouter();
  const inputId = useId();
  const listId = useId();
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [items, setItems] = useState<Suggestion[]>([]);
  const [loading, setLoading] = useState(false);
  const request = useRef(0);

  async function search(text: string) {
    const ticket = ++request.current;
    setLoading(true);
    const params = new URLSearchParams({ model, q: text });
    if (connection) params.set("connection", connection);
    try {
      const res = await fetch(`/api/records?${params}`);
      const body = res.ok ? ((await res.json()) as { data: Suggestion[] }) : { data: [] };
      if (ticket === request.current) {
        setItems(body.data);
        setActive(body.data.length ? 0 : -1);
      }
    } finally {
      if (ticket === request.current) setLoading(false);
    }
  }

  function choose(item: Suggestion) {
    setOpen(false);
    setQuery(item.name ?? item.id);
    router.push(hrefTemplate.replace("__ID__", encodeURIComponent(item.id)));
  }

  return (
    <Field id={inputId} label={label} className="relative min-w-0">
      <div className="relative">
        <Search
          aria-hidden
          size={14}
          className="pointer-events-none absolute top-1/2 left-2 -translate-y-1/2 text-slate-400"
        />
        <input
          id={inputId}
          type="text"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
          autoComplete="off"
          placeholder="Name or email"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setOpen(true);
            void search(event.target.value);
          }}
          onFocus={() => {
            setOpen(true);
            void search(query);
          }}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={(event) => {
            if (event.key === "ArrowDown") {
              event.preventDefault();
              setOpen(true);
              setActive((i) => Math.min(items.length - 1, i + 1));
            } else if (event.key === "ArrowUp") {
              event.preventDefault();
              setActive((i) => Math.max(0, i - 1));
            } else if (event.key === "Enter" && open && items[active]) {
              event.preventDefault();
              choose(items[active]);
            } else if (event.key === "Escape") {
              setOpen(false);
            }
          }}
          className="w-full rounded-md border border-slate-300 bg-white py-1.5 pr-2 pl-7 text-sm focus:border-sky-600 focus:ring-2 focus:ring-sky-600/30 focus:outline-none"
        />
      </div>
      <ul
        id={listId}
        role="listbox"
        aria-label={`${label} suggestions`}
        hidden={!open}
        className="absolute z-20 mt-1 max-h-72 w-full min-w-56 overflow-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg"
      >
        {items.map((item, index) => (
          <li
            key={`${item.connection}/${item.id}`}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            onMouseDown={(event) => {
              event.preventDefault();
              choose(item);
            }}
            onMouseEnter={() => setActive(index)}
            className={`cursor-pointer px-3 py-1.5 ${index === active ? "bg-sky-50 text-sky-900" : ""}`}
          >
            <span className="block font-medium">{item.name ?? item.id}</span>
            <span className="block text-xs text-slate-500">
              {[item.email, `id ${item.id}`].filter(Boolean).join(" · ")}
            </span>
          </li>
        ))}
        {items.length === 0 && (
          <li className="px-3 py-1.5 text-slate-500">{loading ? "Searching…" : "No match"}</li>
        )}
      </ul>
    </Field>
  );
}
