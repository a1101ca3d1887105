"""The processing log and the audit log are append-only, also for the database role (PostgreSQL).

UPDATE is always refused; DELETE only for rows older than one year (the shortest log retention
the application allows), so the retention job can purge old lines and nothing else. On SQLite
(development) the models refuse updates and deletes instead.
"""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION sleutelnet_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND (to_jsonb(OLD) ->> TG_ARGV[0])::timestamptz < now() - interval '365 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'sleutelnet: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER processing_log_append_only BEFORE UPDATE OR DELETE ON core_processinglogentry
    FOR EACH ROW EXECUTE FUNCTION sleutelnet_append_only('started_at');
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON core_auditlogentry
    FOR EACH ROW EXECUTE FUNCTION sleutelnet_append_only('at');
"""

UNGUARD = """
DROP TRIGGER IF EXISTS processing_log_append_only ON core_processinglogentry;
DROP TRIGGER IF EXISTS audit_log_append_only ON core_auditlogentry;
DROP FUNCTION IF EXISTS sleutelnet_append_only();
"""


def guard(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD, params=None)


def unguard(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNGUARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_processing_and_audit_log")]
    operations = [migrations.RunPython(guard, unguard)]
