import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from digitalfabrik.forms import text_search, with_bootstrap_classes
from programme.choices import Region, Topic

from .choices import CaseStatus, EventKind
from .services import coaches

OPEN = "open"


class CaseFilter(django_filters.FilterSet):
    """The caseload's filters; without a status it shows the open cases."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(OPEN, _("All open")), *CaseStatus.choices, ("all", _("All"))],
        empty_label=None,
        method="filter_status",
    )
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=Topic.choices)
    region = django_filters.ChoiceFilter(label=_("City"), field_name="company__region", choices=Region.choices)
    company = django_filters.CharFilter(label=_("Company"), method="filter_company")
    overdue = django_filters.BooleanFilter(
        label=_("Overdue follow-ups only"), method="filter_overdue", widget=forms.CheckboxInput
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("created_at", "created_at"),
            ("company__name", "company"),
            ("status", "status"),
            ("last_session", "last_session"),
            ("next_session", "next_session"),
        ),
        field_labels={
            "created_at": _("Requested"),
            "company__name": _("Company"),
            "status": _("Status"),
            "last_session": _("Last session"),
            "next_session": _("Next session"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_bootstrap_classes(self.form)

    def filter_status(self, queryset, name, value):
        if value == "all":
            return queryset
        if value in CaseStatus.values:
            return queryset.filter(status=value)
        return queryset.exclude(status=CaseStatus.CLOSED)

    def filter_company(self, queryset, name, value):
        return text_search(queryset, value, "company__name")

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue=True) if value else queryset

    @property
    def qs(self):
        queryset = super().qs
        cleaned = getattr(self.form, "cleaned_data", {})
        if not cleaned.get("status"):
            queryset = queryset.exclude(status=CaseStatus.CLOSED)
        if not cleaned.get("ordering"):
            queryset = queryset.order_by("-created_at")
        return queryset


class RequestFilter(django_filters.FilterSet):
    """A company's own requests: open or closed, by topic."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(OPEN, _("All open")), (CaseStatus.CLOSED, _("Closed"))],
        empty_label=_("All"),
        method="filter_status",
    )
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=Topic.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_bootstrap_classes(self.form)

    def filter_status(self, queryset, name, value):
        if value == CaseStatus.CLOSED:
            return queryset.filter(status=CaseStatus.CLOSED)
        return queryset.exclude(status=CaseStatus.CLOSED) if value == OPEN else queryset


class QueueFilter(django_filters.FilterSet):
    """The queue of new requests by topic, city and company."""

    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=Topic.choices)
    region = django_filters.ChoiceFilter(label=_("City"), field_name="company__region", choices=Region.choices)
    company = django_filters.CharFilter(label=_("Company"), field_name="company__name", lookup_expr="icontains")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_bootstrap_classes(self.form)


class ProjectFilter(django_filters.FilterSet):
    """Cross-company projects by title, topic and coach."""

    title = django_filters.CharFilter(label=_("Title"), lookup_expr="icontains")
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=Topic.choices)
    coach = django_filters.ModelChoiceFilter(label=_("Coach"), queryset=coaches())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_bootstrap_classes(self.form)


class EventFilter(django_filters.FilterSet):
    """Events by title or place, kind and topic (the upcoming or past tab stays as chosen)."""

    q = django_filters.CharFilter(label=_("Title or place"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices)
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=Topic.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_bootstrap_classes(self.form)
        self.form.fields["q"].widget.input_type = "search"

    def filter_search(self, queryset, name, value):
        return text_search(queryset, value, "title", "place")
