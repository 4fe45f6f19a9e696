ALTER TABLE "deliveries" ALTER COLUMN "error" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "deliveries" ALTER COLUMN "warnings" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "deliveries" ALTER COLUMN "headers" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "engagements" ALTER COLUMN "fields" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "engagements" ALTER COLUMN "warnings" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "records" ALTER COLUMN "fields" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "records" ALTER COLUMN "warnings" SET DATA TYPE json;