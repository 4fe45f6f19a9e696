CREATE TABLE `engagement_counts` (
	`connector_id` text NOT NULL,
	`connection_owner_id` text NOT NULL,
	`owner_id` text,
	`type` text,
	`status` text,
	`direction` text,
	`deleted` integer NOT NULL,
	`n` integer NOT NULL
);
