-- 印鑑登録 from the core systems' `inkan` feed (issue 19): one registration per resident, in force or
-- 廃止, with its 印影 (PNG or JPEG, at most 64 KB) and size in tenths of a millimetre. A rowid table:
-- rows carry images, too large for WITHOUT ROWID.
CREATE TABLE seal_registrations (
    tenant_id        TEXT NOT NULL REFERENCES tenants(id),
    atena_no         TEXT NOT NULL,
    registration_no  TEXT NOT NULL,
    registered_on    TEXT NOT NULL,
    abolished_on     TEXT,
    image            BLOB,
    image_type       TEXT,
    width_tenth_mm   INTEGER,
    height_tenth_mm  INTEGER,
    PRIMARY KEY (tenant_id, atena_no)
) STRICT;
