-- Applications received through マイナポータル (issue 21 point 4) and their attachments.
CREATE TABLE portal_applications (
    tenant_id       text NOT NULL REFERENCES tenants (id),
    application_no  text COLLATE "C" NOT NULL,
    kind            text NOT NULL,
    form_code       text NOT NULL,
    source          text NOT NULL,
    received_at     timestamptz NOT NULL,
    applicant       text NOT NULL,
    jpki_serial     text,
    imported_at     timestamptz NOT NULL,
    status          text NOT NULL
                    CHECK (status IN ('unprocessed', 'in_progress', 'done', 'returned')),
    status_by       text,
    status_at       timestamptz,
    status_reason   text,
    case_id         text,
    status_sent_at  timestamptz,
    PRIMARY KEY (tenant_id, application_no)
);

CREATE INDEX portal_applications_received ON portal_applications (tenant_id, received_at);

CREATE TABLE portal_attachments (
    tenant_id       text NOT NULL,
    application_no  text COLLATE "C" NOT NULL,
    idx             bigint NOT NULL,
    name            text NOT NULL,
    media_type      text NOT NULL,
    content         bytea NOT NULL,
    PRIMARY KEY (tenant_id, application_no, idx),
    FOREIGN KEY (tenant_id, application_no)
        REFERENCES portal_applications (tenant_id, application_no)
);

ALTER TABLE portal_applications ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_applications FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON portal_applications
    USING (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''))
    WITH CHECK (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''));

ALTER TABLE portal_attachments ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_attachments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON portal_attachments
    USING (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''))
    WITH CHECK (tenant_id = nullif(current_setting('madoguchi.tenant', true), ''));
