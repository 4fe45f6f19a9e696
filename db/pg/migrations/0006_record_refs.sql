-- An opportunity's own companies and contacts, as ids, so a company page finds its opportunities (and rolls up
-- their engagements) with one index probe. Kept from records.fields by the trigger below, on every write path.
CREATE TABLE "record_refs" (
	"connector_id" text NOT NULL,
	"connection_owner_id" text NOT NULL,
	"model" text NOT NULL,
	"external_id" text NOT NULL,
	"role" text NOT NULL,
	"ref_id" text NOT NULL,
	CONSTRAINT "record_refs_connector_id_connection_owner_id_model_external_id_role_ref_id_pk" PRIMARY KEY("connector_id","connection_owner_id","model","external_id","role","ref_id")
);
--> statement-breakpoint
CREATE INDEX "record_refs_lookup" ON "record_refs" USING btree ("role","ref_id","model");--> statement-breakpoint
-- The ids of a list of references: items that are objects with an id; anything else is not a reference.
CREATE FUNCTION record_refs_of(fields json) RETURNS TABLE (role text, ref_id text) LANGUAGE sql IMMUTABLE AS $$
  SELECT l.role, j->>'id'
  FROM (VALUES ('company', 'companies'), ('contact', 'contacts')) l(role, list)
  CROSS JOIN LATERAL json_array_elements(
    CASE WHEN json_typeof(fields->l.list) = 'array' THEN fields->l.list ELSE '[]'::json END) j
  WHERE json_typeof(j) = 'object' AND j->>'id' IS NOT NULL
$$;--> statement-breakpoint
CREATE FUNCTION record_refs_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM record_refs WHERE connector_id = OLD.connector_id AND connection_owner_id = OLD.connection_owner_id
      AND model = OLD.model AND external_id = OLD.external_id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.model = 'crmOpportunity' THEN
    INSERT INTO record_refs
      SELECT NEW.connector_id, NEW.connection_owner_id, NEW.model, NEW.external_id, f.role, f.ref_id
      FROM record_refs_of(NEW.fields) f
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER records_keep_record_refs AFTER INSERT OR UPDATE OF fields OR DELETE ON records
  FOR EACH ROW EXECUTE FUNCTION record_refs_sync();--> statement-breakpoint
-- Opportunities stored before this.
INSERT INTO record_refs
  SELECT r.connector_id, r.connection_owner_id, r.model, r.external_id, f.role, f.ref_id
  FROM records r CROSS JOIN LATERAL record_refs_of(r.fields) f
  WHERE r.model = 'crmOpportunity'
  ON CONFLICT DO NOTHING;
