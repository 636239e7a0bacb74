"""The API's endpoints: thin, each asks the same permission functions and selectors as the portal's pages."""

import hashlib
import json

import icalendar
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.http import parse_etags
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import permissions as roles
from coaching import permissions as coaching_permissions
from coaching import services as coaching_services
from coaching.filters import CaseFilter
from coaching.forms import CaseRequestFieldsForm
from coaching.models import Case, Session
from companies import permissions as company_permissions
from companies import selectors as company_selectors
from companies.filters import CompanyFilter
from companies.models import Company
from digitalfabrik.shortcuts import get_permitted_or_404
from innoscheck import permissions as voucher_permissions
from innoscheck.filters import ApplicationFilter, OwnApplicationFilter
from innoscheck.models import Application
from reporting import permissions as report_permissions
from reporting import selectors as report_selectors
from reporting import services as report_services
from reporting.forms import FilterForm, ReportRequestForm
from reporting.models import PeriodPreset, Report

from . import selectors, serializers
from .problems import problems
from .scopes import Scope
from .throttling import AnonymousRateThrottle

TOKEN_ERRORS = problems(401, 403, 429)


def _require(allowed: bool) -> None:
    if not allowed:
        raise exceptions.PermissionDenied()


def _form_errors(form) -> exceptions.ValidationError:
    return exceptions.ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})


# Indicators ---------------------------------------------------------------------------------------

PERIOD_PARAMETERS = [
    OpenApiParameter("phase", int, description=_("Funding phase (id); without it the running phase as a whole")),
    OpenApiParameter("preset", str, enum=PeriodPreset.values, description=_("Period")),
    OpenApiParameter("year", int, description=_("Year of a quarter, half-year or year")),
    OpenApiParameter("part", int, description=_("Quarter (1–4) or half-year (1–2)")),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description=_("First day of a custom period")),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description=_("Last day of a custom period")),
]


def _client_has_it(etag: str, header: str) -> bool:
    """The client holds this version (If-None-Match, compared weakly as RFC 9110 asks: a compressing proxy
    hands clients our tag as W/"…")."""
    tags = parse_etags(header)
    return "*" in tags or etag in [tag.removeprefix("W/") for tag in tags]


class IndicatorsView(APIView):
    required_scopes = {"GET": Scope.INDICATORS_READ}

    @extend_schema(
        summary=_("Output indicators and programme figures of a period"),
        description=_(
            "The figures of the indicator dashboard and of the PDF indicator report for a funding phase and "
            "a period, with their ERDF codes. Answers 304 to If-None-Match with the current ETag."
        ),
        parameters=PERIOD_PARAMETERS,
        responses={
            200: serializers.IndicatorsSerializer,
            304: OpenApiResponse(description=_("Not modified")),
            **problems(400, 401, 403, 429),
        },
        tags=["indicators"],
    )
    def get(self, request):
        _require(report_permissions.can_use_reports(request.user))
        form = FilterForm.from_query(request.query_params)
        if not form.is_valid():
            raise _form_errors(form)
        data = report_selectors.dashboard_data(phase=form.cleaned_data["phase"], period=form.cleaned_data["period"])
        body = serializers.IndicatorsSerializer(data).data
        etag = f'"{hashlib.sha256(json.dumps(body, cls=DjangoJSONEncoder, sort_keys=True).encode()).hexdigest()[:32]}"'
        headers = {"ETag": etag, "Cache-Control": "private, no-cache", "Vary": "Authorization, Accept-Language"}
        if _client_has_it(etag, request.headers.get("If-None-Match", "")):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(body, headers=headers)


# Reports ------------------------------------------------------------------------------------------


class ReportListView(generics.ListAPIView):
    required_scopes = {"GET": Scope.REPORTS_READ, "POST": Scope.REPORTS_WRITE}
    serializer_class = serializers.ReportSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Report.objects.none()
        _require(report_permissions.can_read_reports(self.request.user))
        return report_selectors.reports_visible_to(self.request.user)

    @extend_schema(summary=_("Reports"), responses={200: serializers.ReportSerializer(many=True), **TOKEN_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary=_("Start a report"),
        description=_("Queues a PDF report like the portal's form; poll its status, then download it."),
        request=serializers.ReportRequestSerializer,
        responses={202: serializers.ReportSerializer, **problems(400, 401, 403, 429)},
    )
    def post(self, request):
        _require(report_permissions.can_request_report(request.user))
        form = ReportRequestForm(request.data if isinstance(request.data, dict) else {})
        if not form.is_valid():
            raise _form_errors(form)
        try:
            report = form.request_report(by=request.user)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.messages) from None
        body = serializers.ReportSerializer(report, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": f"/api/v1/reports/{report.pk}/"})


def _report(request, pk: int, check) -> Report:
    return get_permitted_or_404(Report.objects.select_related("phase"), pk=pk, user=request.user, check=check)


class ReportDetailView(APIView):
    required_scopes = {"GET": Scope.REPORTS_READ}

    @extend_schema(
        summary=_("A report and its status"), responses={200: serializers.ReportSerializer, **problems(401, 403, 404)}
    )
    def get(self, request, pk: int):
        report = _report(request, pk, report_permissions.can_view_report)
        return Response(serializers.ReportSerializer(report, context={"request": request}).data)


class ReportDownloadView(APIView):
    required_scopes = {"GET": Scope.REPORTS_READ}

    @extend_schema(
        summary=_("Download a finished report (PDF)"),
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **problems(401, 403, 404, 429)},
    )
    def get(self, request, pk: int):
        report = _report(request, pk, report_permissions.can_download_report)
        try:
            verified = report_services.report_file_open_verified(report=report)
        except report_services.ReportFileMissing:
            raise Http404 from None
        except report_services.ReportFileCorrupt:
            # The service has logged both checksums; the client gets a problem, never the damaged file.
            raise exceptions.APIException(_("The stored report is damaged; the team has been informed.")) from None
        report_services.report_download_log(report=report, by=request.user)
        return FileResponse(verified, as_attachment=True, filename=report.filename, content_type="application/pdf")


# Voucher applications, companies ------------------------------------------------------------------


class ApplicationListView(generics.ListAPIView):
    required_scopes = {"GET": Scope.APPLICATIONS_READ}
    serializer_class = serializers.ApplicationSerializer

    @property
    def filterset_class(self):
        """The pages' own filters: a company's list (all its applications, drafts too) or the review queue's
        (open work unless a status is asked for; ``status=all`` for every state)."""
        user = getattr(self.request, "user", None)
        return OwnApplicationFilter if user is not None and roles.is_company_user(user) else ApplicationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        user = self.request.user
        _require(
            voucher_permissions.can_list_own_applications(user)
            or voucher_permissions.can_review(user)
            or coaching_permissions.can_view_caseload(user)
        )
        return selectors.applications_visible_to(user)

    @extend_schema(
        summary=_("Voucher applications"),
        responses={200: serializers.ApplicationSerializer(many=True), **TOKEN_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ApplicationDetailView(APIView):
    required_scopes = {"GET": Scope.APPLICATIONS_READ}

    @extend_schema(
        summary=_("A voucher application with its states and decision dates"),
        responses={200: serializers.ApplicationSerializer, **problems(401, 403, 404)},
    )
    def get(self, request, pk: int):
        queryset = Application.objects.select_related("company", "coaching_case").prefetch_related("events")
        application = get_permitted_or_404(
            queryset, pk=pk, user=request.user, check=voucher_permissions.can_view_application
        )
        return Response(serializers.ApplicationSerializer(application).data)


class CompanyListView(generics.ListAPIView):
    required_scopes = {"GET": Scope.COMPANIES_READ}
    serializer_class = serializers.CompanySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Company.objects.none()
        _require(company_permissions.can_list_companies(self.request.user))
        # The company list page's own filter (name or city).
        companies = company_selectors.company_list(user=self.request.user).select_related("responsible_partner")
        return CompanyFilter({"q": self.request.query_params.get("search", "")}, queryset=companies).qs

    @extend_schema(
        summary=_("Companies"),
        parameters=[OpenApiParameter("search", str, description=_("Part of the name or the city"))],
        responses={200: serializers.CompanySerializer(many=True), **TOKEN_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CompanyDetailView(APIView):
    required_scopes = {"GET": Scope.COMPANIES_READ}

    @extend_schema(summary=_("A company"), responses={200: serializers.CompanySerializer, **problems(401, 403, 404)})
    def get(self, request, pk: int):
        queryset = Company.objects.select_related("responsible_partner")
        company = get_permitted_or_404(queryset, pk=pk, user=request.user, check=company_permissions.can_view_company)
        return Response(serializers.CompanySerializer(company).data)


# Coaching -----------------------------------------------------------------------------------------


class CaseListView(generics.ListAPIView):
    required_scopes = {"GET": Scope.COACHING_READ, "POST": Scope.COACHING_WRITE}
    serializer_class = serializers.CaseSerializer
    filterset_class = CaseFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        user = self.request.user
        _require(coaching_permissions.can_view_caseload(user) or coaching_permissions.can_list_own_requests(user))
        return selectors.cases_visible_to(user)

    @extend_schema(summary=_("Coaching cases"), responses={200: serializers.CaseSerializer(many=True), **TOKEN_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary=_("Request coaching (company members)"),
        request=serializers.CaseRequestSerializer,
        responses={201: serializers.CaseSerializer, **problems(400, 401, 403, 429)},
    )
    def post(self, request):
        _require(coaching_permissions.can_request_coaching(request.user))
        form = CaseRequestFieldsForm(request.data if isinstance(request.data, dict) else {}, user=request.user)
        if not form.is_valid():
            raise _form_errors(form)
        data = form.cleaned_data
        try:
            case = coaching_services.case_request(
                company=data["company"],
                by=request.user,
                topic=data["topic"],
                description=data["description"],
                preferred_form=data["preferred_form"],
                preferred_dates=data["preferred_dates"],
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.messages) from None
        return Response(serializers.CaseSerializer(case).data, status=status.HTTP_201_CREATED)


def _case(request, pk: int):
    return get_permitted_or_404(
        Case.objects.select_related("company", "coach"),
        pk=pk,
        user=request.user,
        check=coaching_permissions.can_view_case,
    )


class CaseDetailView(APIView):
    required_scopes = {"GET": Scope.COACHING_READ}

    @extend_schema(summary=_("A coaching case"), responses={200: serializers.CaseSerializer, **problems(401, 403, 404)})
    def get(self, request, pk: int):
        return Response(serializers.CaseSerializer(_case(request, pk)).data)


class CaseSessionListView(generics.ListAPIView):
    required_scopes = {"GET": Scope.COACHING_READ}
    serializer_class = serializers.SessionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Session.objects.none()
        self.case = _case(self.request, self.kwargs["pk"])
        return self.case.sessions.all()

    def paginate_queryset(self, queryset):
        self.paginator.ordering = ("starts_at", "pk")
        return super().paginate_queryset(queryset)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if hasattr(self, "case"):
            context["internal"] = coaching_permissions.can_view_internal_notes(self.request.user, self.case)
        return context

    @extend_schema(
        summary=_("The sessions of a coaching case"),
        description=_("Company members get the notes shared with them, never the internal notes."),
        responses={200: serializers.SessionSerializer(many=True), **problems(401, 403, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# Public -------------------------------------------------------------------------------------------


@extend_schema(exclude=True)
class NotFoundView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()


class EventListView(generics.ListAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousRateThrottle]
    serializer_class = serializers.EventSerializer

    def get_queryset(self):
        return selectors.upcoming_events()

    def paginate_queryset(self, queryset):
        self.paginator.ordering = ("starts_at", "pk")
        return super().paginate_queryset(queryset)

    @extend_schema(
        summary=_("Upcoming events (public)"),
        description=_("Events from now on, soonest first; no token needed."),
        auth=[],
        responses={200: serializers.EventSerializer(many=True), **problems(429)},
        tags=["events"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class EventCalendarView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousRateThrottle]

    @extend_schema(
        summary=_("Upcoming events as an iCalendar feed (public)"),
        auth=[],
        responses={(200, "text/calendar"): OpenApiTypes.STR, **problems(429)},
        tags=["events"],
    )
    def get(self, request):
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Digitale Fabrik//Events//DE")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", "Digitale Fabrik")
        host = request.get_host()
        for event in selectors.upcoming_events().order_by("starts_at", "pk")[:500]:
            entry = icalendar.Event()
            entry.add("uid", f"event-{event.pk}@{host}")
            entry.add("dtstamp", timezone.now())
            entry.add("dtstart", event.starts_at)
            entry.add("summary", event.title)
            entry.add("location", event.place)
            if event.description:
                entry.add("description", event.description)
            calendar.add_component(entry)
        response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="digitale-fabrik-events.ics"'
        return response
