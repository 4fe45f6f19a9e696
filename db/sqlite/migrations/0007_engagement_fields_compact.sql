-- Engagement `fields` stored without the values the typed columns and engagement_refs hold exactly, as
-- storeEngagementFields (lib/morph/fields.ts) now writes them: `[layout]` or `[layout, rest]`, one letter of
-- `layout` per key in the snapshot's order (t type, d direction, s status, T title, D description,
-- a startedAt, e endedAt, n duration, o owner, u users, c contacts, m companies, p opportunities, and `.`
-- for the next key of `rest`, which keeps every other value as received). A value is left out only where
-- its JSON is exactly what the columns give back. Rows left whole, as before: any with a `\u` escape (a lone
-- surrogate or a control character, which SQLite's text does not keep as JavaScript does) or a key that
-- needs escaping, and any with nothing to leave out. Readers take both forms.
-- The space freed stays in the file until a VACUUM.
UPDATE `engagements` SET `fields` = (
  -- MATERIALIZED: each key's code is worked out once, not once per aggregate below.
  WITH p AS MATERIALIZED (
    SELECT j.id, j.key, j.fullkey,
      CASE
        WHEN j.key = 'type' AND j.type = 'text' AND j.atom = `engagements`.`type` THEN 't'
        WHEN j.key = 'direction' AND j.type = 'text' AND j.atom = `engagements`.`direction` THEN 'd'
        WHEN j.key = 'status' AND j.type = 'text' AND j.atom = `engagements`.`status` THEN 's'
        WHEN j.key = 'title' AND j.type = 'text' AND j.atom = `engagements`.`title` THEN 'T'
        WHEN j.key = 'description' AND j.type = 'text' AND j.atom = `engagements`.`description` THEN 'D'
        -- Epoch ms as JavaScript's toISOString() writes it, in whole-number arithmetic, for years 0000-9999.
        WHEN j.key = 'startedAt' AND j.type = 'text'
          AND `engagements`.`started_at` BETWEEN -62167219200000 AND 253402300799999
          AND j.atom = strftime('%Y-%m-%dT%H:%M:%S', (`engagements`.`started_at` - ((`engagements`.`started_at` % 1000) + 1000) % 1000) / 1000, 'unixepoch')
            || printf('.%03dZ', ((`engagements`.`started_at` % 1000) + 1000) % 1000) THEN 'a'
        WHEN j.key = 'endedAt' AND j.type = 'text'
          AND `engagements`.`ended_at` BETWEEN -62167219200000 AND 253402300799999
          AND j.atom = strftime('%Y-%m-%dT%H:%M:%S', (`engagements`.`ended_at` - ((`engagements`.`ended_at` % 1000) + 1000) % 1000) / 1000, 'unixepoch')
            || printf('.%03dZ', ((`engagements`.`ended_at` % 1000) + 1000) % 1000) THEN 'e'
        WHEN j.key = 'duration' AND j.type = 'integer' AND typeof(`engagements`.`duration`) = 'integer'
          AND `engagements`.`duration` BETWEEN 0 AND 9007199254740991 AND j.atom = `engagements`.`duration` THEN 'n'
        WHEN j.key = 'owner' AND j.type = 'object' AND `engagements`.`owner_id` IS NOT NULL
          AND `engagements`.`fields` -> j.fullkey = '{"object":"resourceRef","model":"genericUser","id":' || json_quote(`engagements`.`owner_id`) || '}' THEN 'o'
        WHEN j.key = 'users' AND j.type = 'array' AND `engagements`.`fields` -> j.fullkey = '[' || ifnull((
          SELECT group_concat('{"object":"resourceRef","model":"genericUser","id":' || json_quote(r.ref_id) || '}', ',' ORDER BY r.position)
          FROM `engagement_refs` r WHERE r.engagement_id = `engagements`.`id` AND r.role = 'user'), '') || ']' THEN 'u'
        WHEN j.key = 'contacts' AND j.type = 'array' AND `engagements`.`fields` -> j.fullkey = '[' || ifnull((
          SELECT group_concat('{"object":"resourceRef","model":"genericContact","id":' || json_quote(r.ref_id) || '}', ',' ORDER BY r.position)
          FROM `engagement_refs` r WHERE r.engagement_id = `engagements`.`id` AND r.role = 'contact'), '') || ']' THEN 'c'
        WHEN j.key = 'companies' AND j.type = 'array' AND `engagements`.`fields` -> j.fullkey = '[' || ifnull((
          SELECT group_concat('{"object":"resourceRef","model":"genericCompany","id":' || json_quote(r.ref_id) || '}', ',' ORDER BY r.position)
          FROM `engagement_refs` r WHERE r.engagement_id = `engagements`.`id` AND r.role = 'company'), '') || ']' THEN 'm'
        WHEN j.key = 'opportunities' AND j.type = 'array' AND `engagements`.`fields` -> j.fullkey = '[' || ifnull((
          SELECT group_concat('{"object":"resourceRef","model":"crmOpportunity","id":' || json_quote(r.ref_id) || '}', ',' ORDER BY r.position)
          FROM `engagement_refs` r WHERE r.engagement_id = `engagements`.`id` AND r.role = 'opportunity'), '') || ']' THEN 'p'
        ELSE '.'
      END AS code
    FROM json_each(`engagements`.`fields`) j
  )
  SELECT CASE
      WHEN count(*) FILTER (WHERE code <> '.') = 0
        OR count(*) FILTER (WHERE code = '.' AND `engagements`.`fields` -> fullkey IS NULL) > 0
        THEN `engagements`.`fields`
      ELSE '[' || json_quote(group_concat(code, '' ORDER BY id))
        || CASE WHEN count(*) FILTER (WHERE code = '.') = 0 THEN ''
             ELSE ',' || json_group_object(key, `engagements`.`fields` -> fullkey ORDER BY id) FILTER (WHERE code = '.') END
        || ']'
    END
  FROM p
)
WHERE `fields` LIKE '{%' AND instr(`fields`, '\u') = 0
  AND NOT EXISTS (SELECT 1 FROM json_each(`engagements`.`fields`) k WHERE json_quote(k.key) <> '"' || k.key || '"');
