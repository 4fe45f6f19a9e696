DROP INDEX `engagements_type_started`;--> statement-breakpoint
DROP INDEX `engagements_connection_started`;--> statement-breakpoint
DROP INDEX `engagements_facets`;--> statement-breakpoint
DROP INDEX `engagements_started`;--> statement-breakpoint
DROP INDEX `engagements_owner_started`;--> statement-breakpoint
CREATE INDEX `engagements_started` ON `engagements` (`started_at`,`id`,`type`,`status`,`direction`,`owner_id`,`deleted_at`,`connector_id`,`connection_owner_id`);--> statement-breakpoint
CREATE INDEX `engagements_owner_started` ON `engagements` (`owner_id`,`started_at`,`id`,`type`,`status`,`direction`,`deleted_at`);