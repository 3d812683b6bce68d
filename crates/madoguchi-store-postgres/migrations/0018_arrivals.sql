-- 転入予約: households announced by their 転出証明書情報 (`incoming_moves`, same notice number) and
-- expected at the counter on a day, from the `tenshutsu` feed, マイナポータル or staff (`source`). The
-- evening preparation moves them from planned to prepared with the case it made (`prepared_case_id`);
-- `problem` is the Japanese reason the last preparation failed.
CREATE TABLE arrival_reservations (
    tenant_id         text NOT NULL REFERENCES tenants (id),
    notice_no         text COLLATE "C" NOT NULL,
    expected_on       date NOT NULL,
    source            text NOT NULL CHECK (source IN ('feed', 'portal', 'manual')),
    status            text NOT NULL CHECK (status IN ('planned', 'prepared', 'arrived', 'cancelled')),
    prepared_case_id  text,
    problem           text,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, notice_no)
);

CREATE INDEX arrival_reservations_by_day ON arrival_reservations (tenant_id, expected_on, notice_no);

ALTER TABLE arrival_reservations ENABLE ROW LEVEL SECURITY;
ALTER TABLE arrival_reservations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON arrival_reservations
    USING (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''))
    WITH CHECK (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''));
