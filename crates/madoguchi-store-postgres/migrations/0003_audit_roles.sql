-- Security II point 7: the application role may only INSERT into and SELECT from the audit chain.
-- `madoguchi-server migrate` (run as the owner role) grants it SELECT, INSERT, UPDATE, DELETE on the
-- tenant tables and only SELECT, INSERT on audit_log and SELECT on audit_head. The chain's head moves
-- by this trigger, which runs as the owner (SECURITY DEFINER) and refuses a record that does not extend
-- the head; a retention purge goes through audit_purge_before, likewise as the owner.

CREATE FUNCTION audit_advance_head() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    h record;
BEGIN
    SELECT last_id, last_hash INTO h FROM public.audit_head WHERE singleton;
    IF NEW.id <> h.last_id + 1 OR NEW.prev_hash <> h.last_hash THEN
        RAISE EXCEPTION 'audit record % does not extend the chain head %', NEW.id, h.last_id;
    END IF;
    UPDATE public.audit_head SET last_id = NEW.id, last_hash = NEW.hash WHERE singleton;
    RETURN NEW;
END
$$;

CREATE TRIGGER audit_log_advance_head BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_advance_head();

-- Deletes the oldest records, up to the first one at or after `cutoff`, and moves the chain's base to
-- the last one deleted; returns how many. Retention rules are the caller's (the CLI keeps at least 365
-- days; the audit anchors reveal a base moved past younger records).
CREATE FUNCTION audit_purge_before(cutoff timestamptz) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    first_kept bigint;
    purged_id bigint;
    purged_hash bytea;
    n bigint;
BEGIN
    PERFORM 1 FROM public.audit_head WHERE singleton FOR UPDATE;
    SELECT min(id) INTO first_kept FROM public.audit_log WHERE at >= cutoff;
    SELECT id, hash INTO purged_id, purged_hash FROM public.audit_log
        WHERE id < coalesce(first_kept, 9223372036854775807) ORDER BY id DESC LIMIT 1;
    IF purged_id IS NULL THEN
        RETURN 0;
    END IF;
    DELETE FROM public.audit_log WHERE id <= purged_id;
    GET DIAGNOSTICS n = ROW_COUNT;
    UPDATE public.audit_head SET base_id = purged_id, base_hash = purged_hash WHERE singleton;
    RETURN n;
END
$$;
REVOKE ALL ON FUNCTION audit_purge_before(timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_advance_head() FROM PUBLIC;
