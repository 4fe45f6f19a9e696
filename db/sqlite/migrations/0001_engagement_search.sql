-- Full-text search over engagement title + description (FTS5, external content: no second copy of the text).
CREATE VIRTUAL TABLE `engagements_fts` USING fts5(title, description, content='engagements', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `engagements_fts_insert` AFTER INSERT ON `engagements` BEGIN
  INSERT INTO engagements_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
END;
--> statement-breakpoint
CREATE TRIGGER `engagements_fts_delete` AFTER DELETE ON `engagements` BEGIN
  INSERT INTO engagements_fts(engagements_fts, rowid, title, description) VALUES ('delete', old.id, old.title, old.description);
END;
--> statement-breakpoint
CREATE TRIGGER `engagements_fts_update` AFTER UPDATE OF title, description ON `engagements` BEGIN
  INSERT INTO engagements_fts(engagements_fts, rowid, title, description) VALUES ('delete', old.id, old.title, old.description);
  INSERT INTO engagements_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
END;
