-- Each applied version of an engagement, as what it changed (db/history.ts).
CREATE TABLE `engagement_history` (
	`engagement_id` integer NOT NULL,
	`version` integer NOT NULL,
	`delivery_id` integer,
	`received_at` integer NOT NULL,
	`event` text,
	`updated_at` integer NOT NULL,
	`changes` text NOT NULL,
	PRIMARY KEY(`engagement_id`, `version`),
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Engagements stored before history get a first version from their stored state, by the rule of
-- db/history.ts (every field with a value, from null; references as sorted ids; instants as
-- epoch ms; `deleted` only when true). No delivery made it: `delivery_id` is null. What is best
-- known of when: `received_at` is `ingested_at`, the receipt time of the delivery that last wrote
-- the row; `event` is that last applied delivery's event in the log, else (a log without it)
-- `crmEngagement::deleted` for a tombstone and `crmEngagement::created` otherwise.
INSERT INTO `engagement_history` (`engagement_id`, `version`, `delivery_id`, `received_at`, `event`, `updated_at`, `changes`)
SELECT e.`id`, 1, NULL, e.`ingested_at`,
  coalesce(
    (SELECT d.`event` FROM `deliveries` d
      WHERE d.`engagement_id` = e.`id` AND d.`outcome` = 'applied' ORDER BY d.`id` DESC LIMIT 1),
    CASE WHEN e.`deleted_at` IS NULL THEN 'crmEngagement::created' ELSE 'crmEngagement::deleted' END),
  e.`updated_at`,
  -- json_patch onto {} leaves out the keys whose value is null: the fields without a value.
  json_patch('{}', json_object(
    'type', CASE WHEN e.`type` IS NOT NULL THEN json_array(NULL, e.`type`) END,
    'direction', CASE WHEN e.`direction` IS NOT NULL THEN json_array(NULL, e.`direction`) END,
    'status', CASE WHEN e.`status` IS NOT NULL THEN json_array(NULL, e.`status`) END,
    'title', CASE WHEN e.`title` IS NOT NULL THEN json_array(NULL, e.`title`) END,
    'description', CASE WHEN e.`description` IS NOT NULL THEN json_array(NULL, e.`description`) END,
    'startedAt', json_array(NULL, e.`started_at`),
    'endedAt', CASE WHEN e.`ended_at` IS NOT NULL THEN json_array(NULL, e.`ended_at`) END,
    'duration', CASE WHEN e.`duration` IS NOT NULL THEN json_array(NULL, e.`duration`) END,
    'owner', CASE WHEN e.`owner_id` IS NOT NULL THEN json_array(NULL, e.`owner_id`) END,
    'users', (SELECT json_array(NULL, json_group_array(`ref_id`)) FROM (SELECT `ref_id` FROM `engagement_refs`
      WHERE `engagement_id` = e.`id` AND `role` = 'user' ORDER BY `ref_id`) HAVING count(*) > 0),
    'contacts', (SELECT json_array(NULL, json_group_array(`ref_id`)) FROM (SELECT `ref_id` FROM `engagement_refs`
      WHERE `engagement_id` = e.`id` AND `role` = 'contact' ORDER BY `ref_id`) HAVING count(*) > 0),
    'companies', (SELECT json_array(NULL, json_group_array(`ref_id`)) FROM (SELECT `ref_id` FROM `engagement_refs`
      WHERE `engagement_id` = e.`id` AND `role` = 'company' ORDER BY `ref_id`) HAVING count(*) > 0),
    'opportunities', (SELECT json_array(NULL, json_group_array(`ref_id`)) FROM (SELECT `ref_id` FROM `engagement_refs`
      WHERE `engagement_id` = e.`id` AND `role` = 'opportunity' ORDER BY `ref_id`) HAVING count(*) > 0),
    'deleted', CASE WHEN e.`deleted_at` IS NOT NULL THEN json('[null,true]') END))
FROM `engagements` e ORDER BY e.`id`;
