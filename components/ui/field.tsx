/** The look of every filter control, focus ring included. */
export const CONTROL =
  "block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-sky-600 focus:ring-2 focus:ring-sky-600/30 focus:outline-none";

type FieldProps = {
  id: string;
  label: React.ReactNode;
  /** For the wrapper: grid placement. */
  className?: string;
};

/** A small label above one control; `children` is the control, with the same `id`. */
export function Field({
  id,
  label,
  className,
  children,
}: FieldProps & { children: React.ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-600">
        {label}
      </label>
      {children}
    </div>
  );
}

/** A labelled `<input>`; `children` go after it (a `<datalist>`, say). */
export function InputField({
  id,
  label,
  className,
  children,
  ...input
}: FieldProps & { children?: React.ReactNode } & Omit<
    React.ComponentProps<"input">,
    "id" | "className"
  >) {
  return (
    <Field id={id} label={label} className={className}>
      <input id={id} {...input} className={CONTROL} />
      {children}
    </Field>
  );
}

/** A labelled `<select>`; `children` are its options. */
export function SelectField({
  id,
  label,
  className,
  children,
  ...select
}: FieldProps & { children: React.ReactNode } & Omit<
    React.ComponentProps<"select">,
    "id" | "className"
  >) {
  return (
    <Field id={id} label={label} className={className}>
      <select id={id} {...select} className={CONTROL}>
        {children}
      </select>
    </Field>
  );
}
