-- The issuance history and statistics (発行履歴・発行統計) read a tenant's certificates by issue time.
CREATE INDEX certificates_by_time ON certificates (tenant_id, issued_at);
