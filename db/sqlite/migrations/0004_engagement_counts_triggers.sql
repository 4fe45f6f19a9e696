-- engagement_counts: one row per (connection, owner, type, status, direction, deleted) with how many
-- engagements hold it, kept by the triggers below. NULL keys: `ifnull('v' || col, 'n')` is distinct for
-- NULL and for every string, so the unique key (and the UPSERT on it) never mixes NULL with ''.
CREATE UNIQUE INDEX `engagement_counts_key` ON `engagement_counts` (`connector_id`, `connection_owner_id`, ifnull('v' || `owner_id`, 'n'), ifnull('v' || `type`, 'n'), ifnull('v' || `status`, 'n'), ifnull('v' || `direction`, 'n'), `deleted`);
--> statement-breakpoint
-- Existing engagements counted once; the triggers keep it right from here on.
INSERT INTO `engagement_counts` (connector_id, connection_owner_id, owner_id, type, status, direction, deleted, n)
  SELECT connector_id, connection_owner_id, owner_id, type, status, direction, deleted_at IS NOT NULL, count(*)
  FROM `engagements` GROUP BY 1, 2, 3, 4, 5, 6, 7;
--> statement-breakpoint
CREATE TRIGGER `engagement_counts_insert` AFTER INSERT ON `engagements` BEGIN
  INSERT INTO engagement_counts (connector_id, connection_owner_id, owner_id, type, status, direction, deleted, n)
    VALUES (new.connector_id, new.connection_owner_id, new.owner_id, new.type, new.status, new.direction, new.deleted_at IS NOT NULL, 1)
    ON CONFLICT (connector_id, connection_owner_id, ifnull('v' || owner_id, 'n'), ifnull('v' || type, 'n'), ifnull('v' || status, 'n'), ifnull('v' || direction, 'n'), deleted)
    DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `engagement_counts_delete` AFTER DELETE ON `engagements` BEGIN
  UPDATE engagement_counts SET n = n - 1
    WHERE connector_id = old.connector_id AND connection_owner_id = old.connection_owner_id
      AND ifnull('v' || owner_id, 'n') = ifnull('v' || old.owner_id, 'n')
      AND ifnull('v' || type, 'n') = ifnull('v' || old.type, 'n')
      AND ifnull('v' || status, 'n') = ifnull('v' || old.status, 'n')
      AND ifnull('v' || direction, 'n') = ifnull('v' || old.direction, 'n')
      AND deleted = (old.deleted_at IS NOT NULL);
END;
--> statement-breakpoint
-- Every snapshot update sets these columns; only a real change of a counted value moves a count.
CREATE TRIGGER `engagement_counts_update` AFTER UPDATE OF connector_id, connection_owner_id, owner_id, type, status, direction, deleted_at ON `engagements`
  WHEN old.connector_id IS NOT new.connector_id OR old.connection_owner_id IS NOT new.connection_owner_id
    OR old.owner_id IS NOT new.owner_id OR old.type IS NOT new.type OR old.status IS NOT new.status
    OR old.direction IS NOT new.direction OR (old.deleted_at IS NULL) IS NOT (new.deleted_at IS NULL)
BEGIN
  UPDATE engagement_counts SET n = n - 1
    WHERE connector_id = old.connector_id AND connection_owner_id = old.connection_owner_id
      AND ifnull('v' || owner_id, 'n') = ifnull('v' || old.owner_id, 'n')
      AND ifnull('v' || type, 'n') = ifnull('v' || old.type, 'n')
      AND ifnull('v' || status, 'n') = ifnull('v' || old.status, 'n')
      AND ifnull('v' || direction, 'n') = ifnull('v' || old.direction, 'n')
      AND deleted = (old.deleted_at IS NOT NULL);
  INSERT INTO engagement_counts (connector_id, connection_owner_id, owner_id, type, status, direction, deleted, n)
    VALUES (new.connector_id, new.connection_owner_id, new.owner_id, new.type, new.status, new.direction, new.deleted_at IS NOT NULL, 1)
    ON CONFLICT (connector_id, connection_owner_id, ifnull('v' || owner_id, 'n'), ifnull('v' || type, 'n'), ifnull('v' || status, 'n'), ifnull('v' || direction, 'n'), deleted)
    DO UPDATE SET n = n + 1;
END;
