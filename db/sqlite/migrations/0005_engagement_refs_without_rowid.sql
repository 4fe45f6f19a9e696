-- engagement_refs clustered on its primary key (WITHOUT ROWID): the key is the table, so the separate
-- primary-key index (about 100 bytes per engagement) goes away. drizzle-kit cannot write this; the columns,
-- key, foreign key and lookup index are what db/schema.ts declares.
CREATE TABLE `engagement_refs_new` (
	`engagement_id` integer NOT NULL,
	`role` text NOT NULL,
	`ref_id` text NOT NULL,
	`position` integer NOT NULL,
	`started_at` integer NOT NULL,
	PRIMARY KEY(`engagement_id`, `role`, `ref_id`),
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `engagement_refs_new` (engagement_id, role, ref_id, position, started_at)
  SELECT engagement_id, role, ref_id, position, started_at FROM `engagement_refs` ORDER BY engagement_id, role, ref_id;
--> statement-breakpoint
DROP TABLE `engagement_refs`;
--> statement-breakpoint
ALTER TABLE `engagement_refs_new` RENAME TO `engagement_refs`;
--> statement-breakpoint
CREATE INDEX `engagement_refs_lookup` ON `engagement_refs` (`role`,`ref_id`,`started_at`,`engagement_id`);
