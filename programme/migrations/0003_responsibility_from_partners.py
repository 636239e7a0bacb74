from django.db import migrations


def rows_from_partners(apps, schema_editor):
    """Until now each economic development agency looked after the companies of its own city: the
    table starts with exactly that rule (administrators can change it afterwards)."""
    PartnerOrganisation = apps.get_model("programme", "PartnerOrganisation")
    Responsibility = apps.get_model("programme", "Responsibility")
    for partner in PartnerOrganisation.objects.filter(kind="wf").exclude(city="other").order_by("-is_lead", "pk"):
        Responsibility.objects.get_or_create(region=partner.city, city="", defaults={"partner": partner})


class Migration(migrations.Migration):
    dependencies = [("programme", "0002_tables_of_moved_models")]

    operations = [migrations.RunPython(rows_from_partners, migrations.RunPython.noop)]
