import datetime

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digitalfabrik.forms import with_bootstrap_classes
from programme.choices import Region, Topic
from programme.models import PartnerOrganisation

from .models import Application
from .workflow import Status

AGE_CHOICES = [
    ("week", _("Submitted within the last 7 days")),
    ("month", _("Submitted 8 to 30 days ago")),
    ("older", _("Submitted more than 30 days ago")),
]


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=[c for c in Status.choices if c[0] != Status.DRAFT])
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=Topic.choices)
    city = django_filters.ChoiceFilter(label=_("City"), field_name="company__region", choices=Region.choices)
    partner = django_filters.ModelChoiceFilter(label=_("Partner"), queryset=PartnerOrganisation.objects.all())
    age = django_filters.ChoiceFilter(label=_("Age"), choices=AGE_CHOICES, method="filter_age")

    class Meta:
        model = Application
        fields = ["status", "topic", "city", "partner", "age"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_bootstrap_classes(self.form)

    def filter_age(self, queryset, name, value):
        now = timezone.now()
        week, month = now - datetime.timedelta(days=7), now - datetime.timedelta(days=30)
        if value == "week":
            return queryset.filter(submitted_at__gte=week)
        if value == "month":
            return queryset.filter(submitted_at__lt=week, submitted_at__gte=month)
        return queryset.filter(submitted_at__lt=month)
