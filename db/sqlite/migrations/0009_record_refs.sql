-- An opportunity's own companies and contacts, as ids, so a company page finds its opportunities (and rolls up
-- their engagements) with one index probe. Kept from records.fields by the triggers below, on every write path:
-- ingest, the bulk seeder and db:copy alike. WITHOUT ROWID: the key is the row.
CREATE TABLE `record_refs` (
	`connector_id` text NOT NULL,
	`connection_owner_id` text NOT NULL,
	`model` text NOT NULL,
	`external_id` text NOT NULL,
	`role` text NOT NULL,
	`ref_id` text NOT NULL,
	PRIMARY KEY(`connector_id`, `connection_owner_id`, `model`, `external_id`, `role`, `ref_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `record_refs_lookup` ON `record_refs` (`role`,`ref_id`,`model`);--> statement-breakpoint
-- The ids of a list of references: items that are objects with an id; anything else is not a reference.
CREATE TRIGGER `record_refs_after_insert` AFTER INSERT ON `records` WHEN new.`model` = 'crmOpportunity' BEGIN
  INSERT OR IGNORE INTO `record_refs` SELECT new.`connector_id`, new.`connection_owner_id`, new.`model`, new.`external_id`, l.`role`, CAST(json_extract(j.`value`, '$.id') AS TEXT)
  FROM (SELECT 'company' AS `role`, '$.companies' AS `path` UNION ALL SELECT 'contact', '$.contacts') l,
    json_each(CASE WHEN json_valid(new.`fields`) THEN new.`fields` ELSE '{}' END, l.`path`) j
  WHERE j.`type` = 'object' AND json_extract(j.`value`, '$.id') IS NOT NULL;
END;--> statement-breakpoint
CREATE TRIGGER `record_refs_after_update` AFTER UPDATE OF `fields` ON `records` WHEN new.`model` = 'crmOpportunity' BEGIN
  DELETE FROM `record_refs` WHERE `connector_id` = old.`connector_id` AND `connection_owner_id` = old.`connection_owner_id`
    AND `model` = old.`model` AND `external_id` = old.`external_id`;
  INSERT OR IGNORE INTO `record_refs` SELECT new.`connector_id`, new.`connection_owner_id`, new.`model`, new.`external_id`, l.`role`, CAST(json_extract(j.`value`, '$.id') AS TEXT)
  FROM (SELECT 'company' AS `role`, '$.companies' AS `path` UNION ALL SELECT 'contact', '$.contacts') l,
    json_each(CASE WHEN json_valid(new.`fields`) THEN new.`fields` ELSE '{}' END, l.`path`) j
  WHERE j.`type` = 'object' AND json_extract(j.`value`, '$.id') IS NOT NULL;
END;--> statement-breakpoint
CREATE TRIGGER `record_refs_after_delete` AFTER DELETE ON `records` WHEN old.`model` = 'crmOpportunity' BEGIN
  DELETE FROM `record_refs` WHERE `connector_id` = old.`connector_id` AND `connection_owner_id` = old.`connection_owner_id`
    AND `model` = old.`model` AND `external_id` = old.`external_id`;
END;--> statement-breakpoint
-- Opportunities stored before this.
INSERT OR IGNORE INTO `record_refs` SELECT r.`connector_id`, r.`connection_owner_id`, r.`model`, r.`external_id`, l.`role`, CAST(json_extract(j.`value`, '$.id') AS TEXT)
  FROM `records` r, (SELECT 'company' AS `role`, '$.companies' AS `path` UNION ALL SELECT 'contact', '$.contacts') l,
    json_each(CASE WHEN json_valid(r.`fields`) THEN r.`fields` ELSE '{}' END, l.`path`) j
  WHERE r.`model` = 'crmOpportunity' AND j.`type` = 'object' AND json_extract(j.`value`, '$.id') IS NOT NULL;
