import Link from "next/link";

export default function EngagementNotFound() {
  return (
    <div className="mx-auto w-full max-w-3xl py-10 text-center">
      <h1 className="text-xl font-semibold">No such engagement</h1>
      <p className="mt-2 text-slate-600">
        It was never received, or the link is wrong. Deleted engagements are still kept and can be
        found with “Only deleted”.
      </p>
      <Link href="/engagements" className="mt-4 inline-block text-sky-700 underline">
        Back to all engagements
      </Link>
    </div>
  );
}
