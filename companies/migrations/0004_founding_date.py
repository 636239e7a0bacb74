"""The founding date to the day (the "new enterprise" rule needs the age on the day of the support).

Existing companies only gave the year: they get 1 January of that year, marked as not confirmed, and
the profile asks them to confirm the day. Their history rows get the same date.
"""

import datetime

import django.core.validators
from django.db import migrations, models

VALIDATORS = [
    django.core.validators.MinValueValidator(datetime.date(1800, 1, 1)),
    django.core.validators.MaxValueValidator(datetime.date(2100, 12, 31)),
]


def year_to_date(apps, schema_editor):
    for model_name in ("Company", "HistoricalCompany"):
        model = apps.get_model("companies", model_name)
        for year in model.objects.values_list("founding_year", flat=True).distinct():
            model.objects.filter(founding_year=year).update(
                founding_date=datetime.date(year, 1, 1), founding_date_confirmed=False
            )


def date_to_year(apps, schema_editor):
    for model_name in ("Company", "HistoricalCompany"):
        model = apps.get_model("companies", model_name)
        for day in model.objects.values_list("founding_date", flat=True).distinct():
            model.objects.filter(founding_date=day).update(founding_year=day.year)


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0003_fill_responsible_partner"),
    ]

    operations = [
        *[
            migrations.AddField(
                model_name=model_name,
                name="founding_date",
                field=models.DateField(null=True, validators=VALIDATORS, verbose_name="founding date"),
            )
            for model_name in ("company", "historicalcompany")
        ],
        *[
            migrations.AddField(
                model_name=model_name,
                name="founding_date_confirmed",
                field=models.BooleanField(default=True, verbose_name="founding date confirmed by the company"),
            )
            for model_name in ("company", "historicalcompany")
        ],
        *[
            migrations.AlterField(
                model_name=model_name,
                name="founding_year",
                field=models.PositiveSmallIntegerField(null=True),
            )
            for model_name in ("company", "historicalcompany")
        ],
        migrations.RunPython(year_to_date, date_to_year),
        *[
            migrations.AlterField(
                model_name=model_name,
                name="founding_date",
                field=models.DateField(validators=VALIDATORS, verbose_name="founding date"),
            )
            for model_name in ("company", "historicalcompany")
        ],
        *[migrations.RemoveField(model_name=model_name, name="founding_year") for model_name in ("company", "historicalcompany")],
    ]
