-- 転入予約: households announced by their 転出証明書情報 (`incoming_moves`, same notice number) and
-- expected at the counter on a day, from the `tenshutsu` feed, マイナポータル or staff (`source`). The
-- evening preparation moves them from planned to prepared with the case it made (`prepared_case_id`);
-- `problem` is the Japanese reason the last preparation failed.
CREATE TABLE arrival_reservations (
    tenant_id         TEXT NOT NULL REFERENCES tenants(id),
    notice_no         TEXT NOT NULL,
    expected_on       TEXT NOT NULL,
    source            TEXT NOT NULL CHECK (source IN ('feed', 'portal', 'manual')),
    status            TEXT NOT NULL CHECK (status IN ('planned', 'prepared', 'arrived', 'cancelled')),
    prepared_case_id  TEXT,
    problem           TEXT,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, notice_no)
) STRICT, WITHOUT ROWID;

CREATE INDEX arrival_reservations_by_day ON arrival_reservations (tenant_id, expected_on, notice_no);
