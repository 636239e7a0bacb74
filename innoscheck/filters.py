import datetime

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digitalfabrik.forms import text_search, with_bootstrap_classes
from programme.choices import Region, Topic
from programme.models import PartnerOrganisation

from .models import Application
from .workflow import Status

AGE_CHOICES = [
    ("week", _("Submitted within the last 7 days")),
    ("month", _("Submitted 8 to 30 days ago")),
    ("older", _("Submitted more than 30 days ago")),
]


# The staff's open work: the queue shows these unless the filter asks for other states.
OPEN_WORK = (Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.PROOF_SUBMITTED)
OPEN, ALL = "open", "all"


class ApplicationFilter(django_filters.FilterSet):
    """The review queue's filters; without a status it shows the open work."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            (OPEN, _("Open work")),
            *[choice for choice in Status.choices if choice[0] != Status.DRAFT],
            (ALL, _("All states")),
        ],
        empty_label=None,
        method="filter_status",
    )
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

    def filter_status(self, queryset, name, value):
        if value == ALL:
            return queryset
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset.filter(status__in=OPEN_WORK)

    @property
    def qs(self):
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("status"):
            queryset = queryset.filter(status__in=OPEN_WORK)
        return queryset

    def filter_age(self, queryset, name, value):
        now = timezone.now()
        week, month = now - datetime.timedelta(days=7), now - datetime.timedelta(days=30)
        if value == "week":
            return queryset.filter(submitted_at__gte=week)
        if value == "month":
            return queryset.filter(submitted_at__lt=week, submitted_at__gte=month)
        return queryset.filter(submitted_at__lt=month)


class OwnApplicationFilter(django_filters.FilterSet):
    """A company's own applications by state and topic."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=Topic.choices)

    class Meta:
        model = Application
        fields = ["status", "topic"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_bootstrap_classes(self.form)


class ExpertFilter(django_filters.FilterSet):
    """The expert register by name or firm, topic and confirmation."""

    q = django_filters.CharFilter(label=_("Name or firm"), method="filter_search")
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=Topic.choices, method="filter_topic")
    confirmed = django_filters.BooleanFilter(label=_("Confirmed in the register"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_bootstrap_classes(self.form)

    def filter_search(self, queryset, name, value):
        return text_search(queryset, value, "name", "firm")

    def filter_topic(self, queryset, name, value):
        # The JSON text contains the quoted code (portable: SQLite has no JSON containment).
        return queryset.filter(topics__icontains=f'"{value}"')
