import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from programme.models import FundingPhase

from . import services
from .indicators import Range
from .models import PeriodPreset, ReportKind
from .periods import period_for

# Programme data starts long after and ends long before these days; a date outside is a typo.
EARLIEST_DATE = datetime.date(1990, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


def _plausible(day: datetime.date | None) -> datetime.date | None:
    if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
        first, last = (date_format(edge, "SHORT_DATE_FORMAT") for edge in (EARLIEST_DATE, LATEST_DATE))
        raise forms.ValidationError(_("Enter a date between %(first)s and %(last)s.") % {"first": first, "last": last})
    return day


class _PhaseField(forms.ModelChoiceField):
    """Takes the chosen phase from those the form has read for its choices (no second query)."""

    phases: list = []

    def to_python(self, value):
        if value in self.empty_values:
            return None
        chosen = next((phase for phase in self.phases if str(phase.pk) == str(value)), None)
        if chosen is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return chosen


class PeriodForm(forms.Form):
    """A funding phase and a period: a preset (quarter, half-year, year, whole phase) or any dates."""

    phase = _PhaseField(label=_("Funding phase"), queryset=FundingPhase.objects.order_by("-start"))
    preset = forms.ChoiceField(label=_("Period"), choices=PeriodPreset.choices, initial=PeriodPreset.PHASE)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    part = forms.IntegerField(
        label=_("Quarter or half-year"),
        min_value=1,
        max_value=4,
        required=False,
        help_text=_("1–4 for a quarter, 1–2 for a half-year."),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, phases: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # One query for the running phase, the choices and the chosen one (there are a handful of phases).
        phases = list(FundingPhase.objects.order_by("-start")) if phases is None else phases
        self.fields["phase"].phases = phases
        running = next((phase for phase in phases if phase.start <= today <= phase.end), None) or next(
            iter(phases), None
        )
        if running:
            self.fields["phase"].initial = running.pk
        empty = [("", self.fields["phase"].empty_label)] if self.fields["phase"].empty_label is not None else []
        self.fields["phase"].choices = [*empty, *((phase.pk, str(phase)) for phase in phases)]
        self.fields["year"].initial = today.year
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}

    def clean_date_from(self):
        return _plausible(self.cleaned_data.get("date_from"))

    def clean_date_to(self):
        return _plausible(self.cleaned_data.get("date_to"))

    def clean(self):
        data = super().clean()
        phase, preset = data.get("phase"), data.get("preset")
        if not phase or not preset:
            return data
        if preset == PeriodPreset.CUSTOM:
            if self.has_error("date_from") or self.has_error("date_to"):
                return data
            if not data.get("date_from") or not data.get("date_to"):
                raise forms.ValidationError(_("Enter both dates of a custom period."))
            if data["date_to"] < data["date_from"]:
                raise forms.ValidationError(_("The end of the period must not be before its start."))
            data["period"] = Range(data["date_from"], data["date_to"])
            return data
        if preset in (PeriodPreset.QUARTER, PeriodPreset.HALF_YEAR, PeriodPreset.YEAR) and not data.get("year"):
            self.add_error("year", _("Enter the year."))
            return data
        limit = {PeriodPreset.QUARTER: 4, PeriodPreset.HALF_YEAR: 2}.get(preset)
        if limit and not (data.get("part") and 1 <= data["part"] <= limit):
            self.add_error("part", _("Enter a number from 1 to %(n)s.") % {"n": limit})
            return data
        period = period_for(preset=preset, phase=phase, year=data.get("year"), part=data.get("part"))
        data["period"] = Range(period.start, period.end)
        return data


class FilterForm(PeriodForm):
    """The dashboard's and exports' filter (GET)."""

    @classmethod
    def from_query(cls, query) -> "FilterForm":
        """The filter a query string gives, or the running phase as a whole when it names no phase (the
        dashboard's, the exports' and the API's default; one query for the phases)."""
        if "phase" in query:
            return cls(query)
        defaults = cls()
        initial = {name: defaults[name].initial for name in ("phase", "preset", "year")}
        return cls(
            {key: value for key, value in initial.items() if value is not None},
            phases=defaults.fields["phase"].phases,
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ReportRequestForm(PeriodForm):
    kind = forms.ChoiceField(label=_("Report type"), choices=ReportKind.choices, initial=ReportKind.INDICATORS)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="de")

    field_order = ["kind", "phase", "preset", "year", "part", "date_from", "date_to", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.add_input(Submit("submit", _("Start report")))

    def request_report(self, *, by):
        """Queue the report the valid form describes (``services.report_request``; the page and the API)."""
        data = self.cleaned_data
        return services.report_request(
            by=by,
            kind=data["kind"],
            phase=data["phase"],
            period_start=data["period"].start,
            period_end=data["period"].end,
            preset=data["preset"],
            language=data["language"],
        )
