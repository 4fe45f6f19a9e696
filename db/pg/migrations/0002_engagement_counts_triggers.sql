-- engagement_counts follows every write to engagements inside the writer's own transaction.
-- Statement-level triggers: a transition table holds the rows one statement changed, so a bulk
-- load of 5,000 rows is one grouped upsert, not 5,000. An update counts its old rows -1 and its
-- new rows +1: one that moves no counted value nets to zero and writes nothing. Counts only ever
-- add (n = n + excluded.n) to the writer's slot (its backend pid mod 8), so writers of one group
-- rarely queue on one row; groups are upserted in key order, so two writers moving counts
-- between the same groups take their row locks in the same order.
-- Writers wait until the counters are filled and followed: the lock is held until COMMIT.
LOCK TABLE engagements IN SHARE ROW EXCLUSIVE MODE;
--> statement-breakpoint
CREATE FUNCTION engagement_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO engagement_counts AS c
        (connector_id, connection_owner_id, owner_id, type, status, direction, deleted, slot, n)
      SELECT connector_id, connection_owner_id, owner_id, type, status, direction,
             deleted_at IS NOT NULL, pg_backend_pid() % 8, count(*)
        FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT ON CONSTRAINT engagement_counts_key DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO engagement_counts AS c
        (connector_id, connection_owner_id, owner_id, type, status, direction, deleted, slot, n)
      SELECT connector_id, connection_owner_id, owner_id, type, status, direction,
             deleted_at IS NOT NULL, pg_backend_pid() % 8, -count(*)
        FROM old_rows GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT ON CONSTRAINT engagement_counts_key DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO engagement_counts AS c
        (connector_id, connection_owner_id, owner_id, type, status, direction, deleted, slot, n)
      SELECT connector_id, connection_owner_id, owner_id, type, status, direction, deleted,
             pg_backend_pid() % 8, sum(delta)
        FROM (SELECT connector_id, connection_owner_id, owner_id, type, status, direction,
                     deleted_at IS NOT NULL AS deleted, 1 AS delta FROM new_rows
              UNION ALL
              SELECT connector_id, connection_owner_id, owner_id, type, status, direction,
                     deleted_at IS NOT NULL, -1 FROM old_rows) AS changed
       GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT ON CONSTRAINT engagement_counts_key DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER engagement_counts_insert AFTER INSERT ON engagements
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION engagement_counts_follow();
--> statement-breakpoint
CREATE TRIGGER engagement_counts_update AFTER UPDATE ON engagements
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION engagement_counts_follow();
--> statement-breakpoint
CREATE TRIGGER engagement_counts_delete AFTER DELETE ON engagements
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION engagement_counts_follow();
--> statement-breakpoint
-- TRUNCATE fires no row trigger: it empties the counters with the rows.
CREATE FUNCTION engagement_counts_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM engagement_counts;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER engagement_counts_truncate AFTER TRUNCATE ON engagements
  FOR EACH STATEMENT EXECUTE FUNCTION engagement_counts_clear();
--> statement-breakpoint
-- Existing engagements counted once, in slot 0; the triggers keep it right from here on.
INSERT INTO engagement_counts
    (connector_id, connection_owner_id, owner_id, type, status, direction, deleted, slot, n)
  SELECT connector_id, connection_owner_id, owner_id, type, status, direction,
         deleted_at IS NOT NULL, 0, count(*)
    FROM engagements GROUP BY 1, 2, 3, 4, 5, 6, 7;
