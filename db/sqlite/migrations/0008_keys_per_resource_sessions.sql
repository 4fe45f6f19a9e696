-- UI sessions kept server-side (the cookie carries a random id; its SHA-256 is the key).
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`password_tag` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sessions_expires` ON `sessions` (`expires_at`);--> statement-breakpoint
-- A key binds per resource: (connector, owner, key, model, resource id). Keys bound before this
-- take the resource of the delivery that bound them ('' when it named none).
CREATE TABLE `__new_idempotency_keys` (
	`connector_id` text NOT NULL,
	`connection_owner_id` text NOT NULL,
	`key` text NOT NULL,
	`model` text DEFAULT '' NOT NULL,
	`resource_id` text DEFAULT '' NOT NULL,
	`body_hash` text NOT NULL,
	`delivery_id` integer NOT NULL,
	`response_status` integer NOT NULL,
	`response_body` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`connector_id`, `connection_owner_id`, `key`, `model`, `resource_id`)
);
--> statement-breakpoint
INSERT INTO `__new_idempotency_keys`("connector_id", "connection_owner_id", "key", "model", "resource_id", "body_hash", "delivery_id", "response_status", "response_body", "created_at")
  SELECT k."connector_id", k."connection_owner_id", k."key", coalesce(d."model", ''), coalesce(d."resource_id", ''), k."body_hash", k."delivery_id", k."response_status", k."response_body", k."created_at"
  FROM `idempotency_keys` k LEFT JOIN `deliveries` d ON d."id" = k."delivery_id";--> statement-breakpoint
DROP TABLE `idempotency_keys`;--> statement-breakpoint
ALTER TABLE `__new_idempotency_keys` RENAME TO `idempotency_keys`;--> statement-breakpoint
-- duration_ms now holds fractions of a millisecond. The column keeps its INTEGER affinity, which
-- stores a value with a fraction as REAL as it is, so the (large) log is not rebuilt.
CREATE INDEX `deliveries_connection` ON `deliveries` (`connector_id`,`connection_owner_id`,`received_at`,`outcome`);
