-- Applications received through マイナポータル (issue 21 point 4) and their attachments.
CREATE TABLE portal_applications (
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    application_no  TEXT NOT NULL,
    kind            TEXT NOT NULL,
    form_code       TEXT NOT NULL,
    source          TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    applicant       TEXT NOT NULL,
    jpki_serial     TEXT,
    imported_at     TEXT NOT NULL,
    status          TEXT NOT NULL
                    CHECK (status IN ('unprocessed', 'in_progress', 'done', 'returned')),
    status_by       TEXT,
    status_at       TEXT,
    status_reason   TEXT,
    case_id         TEXT,
    status_sent_at  TEXT,
    PRIMARY KEY (tenant_id, application_no)
) STRICT, WITHOUT ROWID;

CREATE INDEX portal_applications_received ON portal_applications (tenant_id, received_at);

CREATE TABLE portal_attachments (
    tenant_id       TEXT NOT NULL,
    application_no  TEXT NOT NULL,
    idx             INTEGER NOT NULL,
    name            TEXT NOT NULL,
    media_type      TEXT NOT NULL,
    content         BLOB NOT NULL,
    PRIMARY KEY (tenant_id, application_no, idx),
    FOREIGN KEY (tenant_id, application_no)
        REFERENCES portal_applications (tenant_id, application_no)
) STRICT;
