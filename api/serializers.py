"""What the API shows. Read-only views of the portal's records; writes go through the apps' forms and services."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from coaching.choices import CaseOutcome
from coaching.models import Case, Event, Session
from companies.models import Company
from innoscheck.models import Application, ApplicationEvent
from innoscheck.workflow import Status
from programme.choices import Topic
from reporting.models import Report

MONEY = {"max_digits": 14, "decimal_places": 2}


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class PhaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class IndicatorRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("Stable name of the figure"))
    code_2021 = serializers.CharField(help_text=_("ERDF code of the 2021–2027 period (RCO…)"))
    code_2014 = serializers.CharField(help_text=_("ERDF code of the 2014–2020 period (CO…)"))
    label = serializers.CharField()
    period = serializers.IntegerField(help_text=_("Value in the period"))
    cumulative = serializers.IntegerField(help_text=_("Value from the start of the phase to the end of the period"))


class CoachingFiguresSerializer(serializers.Serializer):
    sessions_held = serializers.IntegerField()
    companies_coached = serializers.IntegerField()
    events = serializers.IntegerField()
    event_registrations = serializers.IntegerField()
    event_participants = serializers.IntegerField()
    projects = serializers.IntegerField()
    project_companies = serializers.IntegerField()
    people_reached = serializers.IntegerField()


class VoucherFiguresSerializer(serializers.Serializer):
    submitted = serializers.IntegerField()
    approved = serializers.IntegerField()
    rejected = serializers.IntegerField()
    paid = serializers.IntegerField()
    approved_amount = serializers.DecimalField(**MONEY)
    paid_amount = serializers.DecimalField(**MONEY)
    # Grants withdrawn in the period (cancelled, rejected after approval or expired) and what they released.
    withdrawn = serializers.IntegerField()
    released_amount = serializers.DecimalField(**MONEY)


class BudgetSerializer(serializers.Serializer):
    total_budget = serializers.DecimalField(**MONEY)
    voucher_budget = serializers.DecimalField(**MONEY)
    reserved = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)
    free = serializers.DecimalField(**MONEY)
    committed_share = serializers.DecimalField(max_digits=12, decimal_places=1)
    forecast_committed = serializers.DecimalField(**MONEY)
    forecast_share = serializers.DecimalField(max_digits=12, decimal_places=1)


class IndicatorsSerializer(serializers.Serializer):
    """The figures of the indicator dashboard and the indicator report (reporting.selectors.dashboard_data)."""

    phase = PhaseSerializer()
    period = PeriodSerializer()
    cumulative = PeriodSerializer(help_text=_("From the start of the phase to the end of the period"))
    indicators = IndicatorRowSerializer(many=True)
    coaching = CoachingFiguresSerializer()
    coaching_cumulative = CoachingFiguresSerializer()
    vouchers = VoucherFiguresSerializer()
    vouchers_cumulative = VoucherFiguresSerializer()
    median_days = serializers.DecimalField(
        max_digits=8, decimal_places=1, allow_null=True, help_text=_("Median days from submission to decision")
    )
    budget = BudgetSerializer()


class ReportSerializer(serializers.ModelSerializer):
    phase = serializers.IntegerField(source="phase_id")
    status_label = serializers.CharField(source="get_status_display")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "phase",
            "preset",
            "period_start",
            "period_end",
            "language",
            "status",
            "status_label",
            "failure_reason",
            "requested_at",
            "finished_at",
            "page_count",
            "checksum",
            "download_url",
        ]

    def get_download_url(self, report) -> str | None:
        if report.status != "done":
            return None
        return self.context["request"].build_absolute_uri(f"/api/v1/reports/{report.pk}/download/")


class ReportRequestSerializer(serializers.Serializer):
    """Only for the schema: the fields of the portal's report form."""

    kind = serializers.ChoiceField(choices=["indicators", "financial", "de_minimis"])
    phase = serializers.IntegerField()
    preset = serializers.ChoiceField(choices=["quarter", "half_year", "year", "phase", "custom"])
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    part = serializers.IntegerField(required=False, min_value=1, max_value=4)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    language = serializers.ChoiceField(choices=["de", "en"])


class CompanyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class ApplicationEventSerializer(serializers.ModelSerializer):
    from_state = serializers.ChoiceField(choices=Status.choices, allow_blank=True, read_only=True)

    class Meta:
        model = ApplicationEvent
        fields = ["action", "from_state", "to_state", "at"]


class ApplicationSerializer(serializers.ModelSerializer):
    company = CompanyRefSerializer()
    topic = serializers.ChoiceField(choices=Topic.choices, allow_blank=True, read_only=True)
    status_label = serializers.CharField(source="get_status_display")
    events = ApplicationEventSerializer(many=True, help_text=_("Every state change with its date"))

    class Meta:
        model = Application
        fields = [
            "id",
            "company",
            "phase",
            "title",
            "topic",
            "status",
            "status_label",
            "requested_amount",
            "approved_amount",
            "verified_amount",
            "voucher_number",
            "submitted_at",
            "decided_at",
            "approved_at",
            "grant_withdrawn_at",
            "valid_until",
            "paid_at",
            "events",
        ]


class CompanySerializer(serializers.ModelSerializer):
    responsible_partner = serializers.CharField(source="responsible_partner.short_name", default=None)

    class Meta:
        model = Company
        fields = [
            "id",
            "name",
            "legal_form",
            "street",
            "postcode",
            "city",
            "region",
            "chamber",
            "wz_section",
            "wz_code",
            "founding_date",
            "founding_date_confirmed",
            "size_class",
            "website",
            "responsible_partner",
            "created_at",
        ]


class CaseSerializer(serializers.ModelSerializer):
    company = CompanyRefSerializer()
    status_label = serializers.CharField(source="get_status_display")
    outcome = serializers.ChoiceField(choices=CaseOutcome.choices, allow_blank=True, read_only=True)
    coach = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "company",
            "topic",
            "description",
            "preferred_form",
            "preferred_dates",
            "status",
            "status_label",
            "outcome",
            "coach",
            "created_at",
            "closed_at",
        ]

    def get_coach(self, case) -> str | None:
        return str(case.coach) if case.coach_id else None


class CaseRequestSerializer(serializers.Serializer):
    """Only for the schema: the fields of the portal's coaching request form."""

    company = serializers.IntegerField()
    topic = serializers.CharField()
    description = serializers.CharField()
    preferred_form = serializers.CharField()
    preferred_dates = serializers.CharField(required=False, allow_blank=True)


class SessionSerializer(serializers.ModelSerializer):
    """Internal notes only for the programme team; company members never get the field."""

    internal_notes = serializers.CharField(required=False, help_text=_("Not shown to company members"))

    class Meta:
        model = Session
        fields = [
            "id",
            "status",
            "starts_at",
            "duration_hours",
            "form",
            "location",
            "shared_notes",
            "internal_notes",
        ]

    def to_representation(self, session):
        data = super().to_representation(session)
        if not self.context.get("internal"):
            data.pop("internal_notes")
        return data


class EventSerializer(serializers.ModelSerializer):
    organiser = serializers.CharField(source="organiser.name")

    class Meta:
        model = Event
        fields = ["id", "title", "kind", "starts_at", "place", "organiser", "topic", "capacity", "description"]
