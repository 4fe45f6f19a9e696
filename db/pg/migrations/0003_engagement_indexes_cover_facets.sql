DROP INDEX "engagements_started";--> statement-breakpoint
DROP INDEX "engagements_owner_started";--> statement-breakpoint
CREATE INDEX "engagements_started" ON "engagements" USING btree ("started_at","id","type","status","direction","owner_id","deleted_at","connector_id","connection_owner_id");--> statement-breakpoint
CREATE INDEX "engagements_owner_started" ON "engagements" USING btree ("owner_id","started_at","id","type","status","direction","deleted_at");