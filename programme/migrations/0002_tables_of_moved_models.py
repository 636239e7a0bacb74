from django.db import migrations

MOVED = [("innoscheck", "fundingphase"), ("accounts", "partnerorganisation")]


def relabel_content_types(apps, schema_editor):
    """Permissions and admin log entries of the moved models keep pointing at them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, model in MOVED:
        if not ContentType.objects.filter(app_label="programme", model=model).exists():
            ContentType.objects.filter(app_label=old_app, model=model).update(app_label="programme")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, model in MOVED:
        ContentType.objects.filter(app_label="programme", model=model).update(app_label=old_app)


class Migration(migrations.Migration):
    """The moved models' tables get this app's names (PostgreSQL and SQLite keep the foreign keys)."""

    dependencies = [
        ("accounts", "0003_alter_user_partner_delete_partnerorganisation"),
        ("coaching", "0005_alter_event_organiser"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("innoscheck", "0004_alter_application_phase_alter_application_partner_and_more"),
        ("programme", "0001_initial"),
        ("reporting", "0002_alter_report_phase"),
    ]

    operations = [
        migrations.AlterModelTable(name="fundingphase", table=None),
        migrations.AlterModelTable(name="partnerorganisation", table=None),
        migrations.RunPython(relabel_content_types, restore_content_types),
    ]
