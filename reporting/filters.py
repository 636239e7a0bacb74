import django_filters
from django.utils.translation import gettext_lazy as _

from digitalfabrik.forms import with_bootstrap_classes
from programme.models import FundingPhase

from .models import Report, ReportKind, ReportStatus


class ReportFilter(django_filters.FilterSet):
    """The report list by type, funding phase and state."""

    kind = django_filters.ChoiceFilter(label=_("Report type"), choices=ReportKind.choices)
    phase = django_filters.ModelChoiceFilter(label=_("Funding phase"), queryset=FundingPhase.objects.order_by("-start"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices)

    class Meta:
        model = Report
        fields = ["kind", "phase", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_bootstrap_classes(self.form)
