CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`received_at` integer NOT NULL,
	`connector_id` text,
	`connection_owner_id` text,
	`idempotency_key` text,
	`event` text,
	`model` text,
	`resource_id` text,
	`engagement_id` integer,
	`outcome` text NOT NULL,
	`http_status` integer NOT NULL,
	`error` text,
	`warnings` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`body` text,
	`body_hash` text,
	`body_bytes` integer,
	`headers` text NOT NULL,
	`response_body` text,
	`repeat_count` integer DEFAULT 0 NOT NULL,
	`last_repeat_at` integer,
	`original_delivery_id` integer
);
--> statement-breakpoint
CREATE INDEX `deliveries_key` ON `deliveries` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `deliveries_resource` ON `deliveries` (`resource_id`);--> statement-breakpoint
CREATE INDEX `deliveries_engagement` ON `deliveries` (`engagement_id`,`id`);--> statement-breakpoint
CREATE INDEX `deliveries_outcome` ON `deliveries` (`outcome`,`id`);--> statement-breakpoint
CREATE TABLE `engagement_refs` (
	`engagement_id` integer NOT NULL,
	`role` text NOT NULL,
	`ref_id` text NOT NULL,
	`position` integer NOT NULL,
	`started_at` integer NOT NULL,
	PRIMARY KEY(`engagement_id`, `role`, `ref_id`),
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `engagement_refs_lookup` ON `engagement_refs` (`role`,`ref_id`,`started_at`,`engagement_id`);--> statement-breakpoint
CREATE TABLE `engagements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`connector_id` text NOT NULL,
	`connection_owner_id` text NOT NULL,
	`external_id` text NOT NULL,
	`type` text,
	`direction` text,
	`status` text,
	`title` text,
	`description` text,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`duration` integer,
	`owner_id` text,
	`created_at` integer,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`fields` text NOT NULL,
	`warnings` text NOT NULL,
	`content_hash` text NOT NULL,
	`ingested_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `engagements_identity` ON `engagements` (`connector_id`,`connection_owner_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `engagements_started` ON `engagements` (`started_at`,`id`);--> statement-breakpoint
CREATE INDEX `engagements_owner_started` ON `engagements` (`owner_id`,`started_at`,`id`);--> statement-breakpoint
CREATE INDEX `engagements_type_started` ON `engagements` (`type`,`started_at`,`id`);--> statement-breakpoint
CREATE INDEX `engagements_connection_started` ON `engagements` (`connector_id`,`connection_owner_id`,`started_at`,`id`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`connector_id` text NOT NULL,
	`connection_owner_id` text NOT NULL,
	`key` text NOT NULL,
	`body_hash` text NOT NULL,
	`delivery_id` integer NOT NULL,
	`response_status` integer NOT NULL,
	`response_body` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`connector_id`, `connection_owner_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`connector_id` text NOT NULL,
	`connection_owner_id` text NOT NULL,
	`model` text NOT NULL,
	`external_id` text NOT NULL,
	`name` text,
	`email` text,
	`phone` text,
	`fields` text NOT NULL,
	`warnings` text NOT NULL,
	`created_at` integer,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`content_hash` text NOT NULL,
	`ingested_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `records_identity` ON `records` (`connector_id`,`connection_owner_id`,`model`,`external_id`);--> statement-breakpoint
CREATE INDEX `records_model_name` ON `records` (`model`,`name`);--> statement-breakpoint
CREATE INDEX `records_lookup` ON `records` (`model`,`external_id`);