import type { Metadata } from "next";
import { KeyRound } from "lucide-react";
import { DEFAULT_AFTER_SIGN_IN, safeNextPath } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  invalid: "That password is not right.",
};

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const one = (name: string) => {
    const value = params[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const next = safeNextPath(one("next"));
  const error = ERRORS[one("error") ?? ""];

  return (
    <div className="mx-auto mt-8 max-w-sm">
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-xs">
        <h1 className="flex items-center gap-2 text-xl font-semibold">
          <KeyRound className="size-5 text-sky-600" aria-hidden /> Sign in
        </h1>
        <p className="mt-2 text-sm text-slate-600">
          This app holds customer data. Use the sign-in link printed when the server started, or
          enter the password (<code className="font-mono text-xs">APP_PASSWORD</code>, or the one
          kept in <code className="font-mono text-xs">app-password</code> beside the database).
        </p>
        <form action="/api/session" method="post" className="mt-5 space-y-4">
          {next !== DEFAULT_AFTER_SIGN_IN && <input type="hidden" name="next" value={next} />}
          <div>
            <label htmlFor="password" className="block text-sm font-medium text-slate-700">
              Password
            </label>
            <input
              id="password"
              name="password"
              type="password"
              required
              autoFocus
              autoComplete="current-password"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "password-error" : undefined}
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-xs focus:border-sky-600"
            />
            {error && (
              <p id="password-error" role="alert" className="mt-2 text-sm text-rose-700">
                {error}
              </p>
            )}
          </div>
          <button
            type="submit"
            className="w-full rounded-md bg-slate-900 px-3 py-2 text-sm font-semibold text-white hover:bg-slate-700"
          >
            Sign in
          </button>
        </form>
      </div>
    </div>
  );
}
