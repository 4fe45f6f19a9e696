-- UI sessions kept server-side (the cookie carries a random id; its SHA-256 is the key).
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"password_tag" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sessions_expires" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
-- A key binds per resource: (connector, owner, key, model, resource id). Keys bound before this
-- take the resource of the delivery that bound them ('' when it named none).
ALTER TABLE "idempotency_keys" ADD COLUMN "model" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "resource_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE "idempotency_keys" k SET "model" = coalesce(d."model", ''), "resource_id" = coalesce(d."resource_id", '')
  FROM "deliveries" d WHERE d."id" = k."delivery_id";--> statement-breakpoint
ALTER TABLE "idempotency_keys" DROP CONSTRAINT "idempotency_keys_connector_id_connection_owner_id_key_pk";--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_connector_id_connection_owner_id_key_model_resource_id_pk" PRIMARY KEY("connector_id","connection_owner_id","key","model","resource_id");--> statement-breakpoint
-- Processing time in fractions of a millisecond.
ALTER TABLE "deliveries" ALTER COLUMN "duration_ms" SET DATA TYPE double precision;--> statement-breakpoint
CREATE INDEX "deliveries_connection" ON "deliveries" USING btree ("connector_id","connection_owner_id","received_at","outcome");
