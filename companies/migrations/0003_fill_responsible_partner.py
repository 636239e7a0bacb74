from django.db import migrations
from django.db.models import Q


def fill(apps, schema_editor):
    """Every company gets the partner the responsibility table names for its place (the rule of
    programme.responsibility.partner_for_place, written out here as migrations cannot import it)."""
    Company = apps.get_model("companies", "Company")
    Responsibility = apps.get_model("programme", "Responsibility")
    PartnerOrganisation = apps.get_model("programme", "PartnerOrganisation")
    lead = PartnerOrganisation.objects.filter(is_lead=True).first()
    by_city = {row.city.lower(): row.partner_id for row in Responsibility.objects.filter(~Q(city=""))}
    by_region = {row.region: row.partner_id for row in Responsibility.objects.filter(city="")}
    for company in Company.objects.filter(responsible_partner__isnull=True).only("pk", "city", "region"):
        partner_id = by_city.get(company.city.strip().lower()) or by_region.get(company.region) or (lead and lead.pk)
        if partner_id:
            Company.objects.filter(pk=company.pk).update(responsible_partner_id=partner_id)


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0002_responsibility"),
        ("programme", "0003_responsibility_from_partners"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
