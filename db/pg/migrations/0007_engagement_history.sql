-- Each applied version of an engagement, as what it changed (db/history.ts).
CREATE TABLE "engagement_history" (
	"connector_id" text NOT NULL,
	"connection_owner_id" text NOT NULL,
	"engagement_id" bigint NOT NULL,
	"version" integer NOT NULL,
	"delivery_id" bigint,
	"received_at" bigint NOT NULL,
	"event" text,
	"updated_at" bigint NOT NULL,
	"changes" json NOT NULL,
	CONSTRAINT "engagement_history_connector_id_connection_owner_id_engagement_id_version_pk" PRIMARY KEY("connector_id","connection_owner_id","engagement_id","version")
);
--> statement-breakpoint
-- Engagements stored before history get a first version from their stored state, by the rule of
-- db/history.ts (every field with a value, from null; references as ids sorted by code point,
-- COLLATE "C", as SQLite sorts them; instants as epoch ms; `deleted` only when true). No delivery
-- made it: `delivery_id` is null. What is best known of when: `received_at` is `ingested_at`, the
-- receipt time of the delivery that last wrote the row; `event` is that last applied delivery's
-- event in the log, else (a log without it) `crmEngagement::deleted` for a tombstone and
-- `crmEngagement::created` otherwise. References are grouped in one pass, not looked up per row.
INSERT INTO "engagement_history" ("connector_id", "connection_owner_id", "engagement_id", "version", "delivery_id", "received_at", "event", "updated_at", "changes")
SELECT e."connector_id", e."connection_owner_id", e."id", 1, NULL, e."ingested_at",
  coalesce(
    (SELECT d."event" FROM "deliveries" d
      WHERE d."engagement_id" = e."id" AND d."outcome" = 'applied' ORDER BY d."id" DESC LIMIT 1),
    CASE WHEN e."deleted_at" IS NULL THEN 'crmEngagement::created' ELSE 'crmEngagement::deleted' END),
  e."updated_at",
  -- json_strip_nulls leaves out the keys whose value is null: the fields without a value.
  json_strip_nulls(json_build_object(
    'type', CASE WHEN e."type" IS NOT NULL THEN json_build_array(NULL, e."type") END,
    'direction', CASE WHEN e."direction" IS NOT NULL THEN json_build_array(NULL, e."direction") END,
    'status', CASE WHEN e."status" IS NOT NULL THEN json_build_array(NULL, e."status") END,
    'title', CASE WHEN e."title" IS NOT NULL THEN json_build_array(NULL, e."title") END,
    'description', CASE WHEN e."description" IS NOT NULL THEN json_build_array(NULL, e."description") END,
    'startedAt', json_build_array(NULL, e."started_at"),
    'endedAt', CASE WHEN e."ended_at" IS NOT NULL THEN json_build_array(NULL, e."ended_at") END,
    'duration', CASE WHEN e."duration" IS NOT NULL THEN json_build_array(NULL, e."duration") END,
    'owner', CASE WHEN e."owner_id" IS NOT NULL THEN json_build_array(NULL, e."owner_id") END,
    'users', CASE WHEN r."users" IS NOT NULL THEN json_build_array(NULL, r."users") END,
    'contacts', CASE WHEN r."contacts" IS NOT NULL THEN json_build_array(NULL, r."contacts") END,
    'companies', CASE WHEN r."companies" IS NOT NULL THEN json_build_array(NULL, r."companies") END,
    'opportunities', CASE WHEN r."opportunities" IS NOT NULL THEN json_build_array(NULL, r."opportunities") END,
    'deleted', CASE WHEN e."deleted_at" IS NOT NULL THEN json_build_array(NULL, true) END))
FROM "engagements" e
LEFT JOIN (
  SELECT "connector_id", "connection_owner_id", "engagement_id",
    json_agg("ref_id" ORDER BY "ref_id" COLLATE "C") FILTER (WHERE "role" = 'user') AS "users",
    json_agg("ref_id" ORDER BY "ref_id" COLLATE "C") FILTER (WHERE "role" = 'contact') AS "contacts",
    json_agg("ref_id" ORDER BY "ref_id" COLLATE "C") FILTER (WHERE "role" = 'company') AS "companies",
    json_agg("ref_id" ORDER BY "ref_id" COLLATE "C") FILTER (WHERE "role" = 'opportunity') AS "opportunities"
  FROM "engagement_refs"
  GROUP BY "connector_id", "connection_owner_id", "engagement_id"
) r ON r."connector_id" = e."connector_id" AND r."connection_owner_id" = e."connection_owner_id"
  AND r."engagement_id" = e."id";
