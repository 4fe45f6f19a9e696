CREATE TABLE "engagement_counts" (
	"connector_id" text NOT NULL,
	"connection_owner_id" text NOT NULL,
	"owner_id" text,
	"type" text,
	"status" text,
	"direction" text,
	"deleted" boolean NOT NULL,
	"slot" smallint NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "engagement_counts_key" UNIQUE NULLS NOT DISTINCT("connector_id","connection_owner_id","owner_id","type","status","direction","deleted","slot")
);
