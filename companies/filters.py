import django_filters
from django.utils.translation import gettext_lazy as _

from digitalfabrik.forms import text_search, with_bootstrap_classes
from programme.choices import Region, SizeClass
from programme.models import PartnerOrganisation

from .choices import Chamber


class CompanyFilter(django_filters.FilterSet):
    """The company list's filters (staff and coaches see many companies; members their own)."""

    q = django_filters.CharFilter(label=_("Name or city"), method="filter_search")
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices)
    size_class = django_filters.ChoiceFilter(label=_("SME class"), choices=SizeClass.choices)
    chamber = django_filters.ChoiceFilter(label=_("Chamber"), choices=Chamber.choices)
    responsible_partner = django_filters.ModelChoiceFilter(
        label=_("Responsible partner"), queryset=PartnerOrganisation.objects.order_by("name")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_bootstrap_classes(self.form)
        self.form.fields["q"].widget.input_type = "search"

    def filter_search(self, queryset, name, value):
        return text_search(queryset, value, "name", "city")
