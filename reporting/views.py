from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digitalfabrik.paging import paginate
from digitalfabrik.shortcuts import get_permitted_or_404
from programme.views import transition_page

from . import charts, exports, permissions, selectors, services
from .filters import ReportFilter
from .forms import FilterForm, ReportRequestForm
from .models import Report
from .workflow import REPORT


def _report_for(user, pk: int, check) -> Report:
    return get_permitted_or_404(Report.objects.select_related("phase", "requested_by"), pk=pk, user=user, check=check)


def _require_reports(user) -> None:
    if not permissions.can_use_reports(user):
        raise PermissionDenied


@login_required
@require_GET
def report_list(request):
    if not permissions.can_read_reports(request.user):
        raise PermissionDenied
    # Newest first (Report's Meta ordering does not apply to the annotated, grouped queryset).
    newest_first = selectors.reports_visible_to(request.user).order_by("-requested_at", "-pk")
    reports = ReportFilter(request.GET or None, queryset=newest_first)
    return render(
        request,
        "reporting/report_list.html",
        {
            "filter": reports,
            **paginate(request, reports.qs),
            "can_request": permissions.can_request_report(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request):
    if not permissions.can_request_report(request.user):
        raise PermissionDenied
    form = ReportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = form.request_report(by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report has been queued."))
            return redirect("reporting:detail", pk=report.pk)
    return render(request, "reporting/report_form.html", {"form": form})


@login_required
@require_GET
def report_detail(request, pk: int):
    report = _report_for(request.user, pk, permissions.can_view_report)
    show_log = permissions.can_see_download_log(request.user, report)
    return render(
        request,
        "reporting/report_detail.html",
        {
            "report": report,
            "can_download": permissions.can_download_report(request.user, report),
            "can_retry": permissions.can_retry_report(request.user, report)
            or permissions.can_send_again(request.user, report),
            "waiting_for_worker": services.report_waiting_for_worker(report),
            "downloads": report.downloads.select_related("user")[:50] if show_log else None,
            "events": report.events.select_related("by"),
        },
    )


@login_required
@require_GET
def report_status(request, pk: int):
    report = _report_for(request.user, pk, permissions.can_view_report)
    return JsonResponse(
        {
            "status": report.status,
            "label": report.get_status_display(),
            "finished": report.is_finished,
            "failure_reason": report.failure_reason,
            "download_url": reverse("reporting:download", kwargs={"pk": report.pk})
            if permissions.can_download_report(request.user, report)
            else "",
            "retry_url": reverse("reporting:retry", kwargs={"pk": report.pk})
            if permissions.can_retry_report(request.user, report) or permissions.can_send_again(request.user, report)
            else "",
        }
    )


@login_required
@require_GET
def report_download(request, pk: int):
    report = _report_for(request.user, pk, permissions.can_download_report)
    try:
        verified = services.report_file_open_verified(report=report)
    except services.ReportFileMissing:
        raise Http404 from None
    except services.ReportFileCorrupt:
        return render(request, "reporting/report_file_corrupt.html", {"report": report}, status=500)
    services.report_download_log(report=report, by=request.user)
    return FileResponse(verified, as_attachment=True, filename=report.filename, content_type="application/pdf")


@login_required
@require_POST
def report_retry(request, pk: int):
    report = _report_for(request.user, pk, permissions.can_view_report)
    if permissions.can_send_again(request.user, report):
        if services.report_send_again(report=report):
            messages.success(request, _("The report has been sent to the workers again."))
        else:
            messages.warning(request, _("The task queue cannot be reached; the report is sent again automatically."))
        return redirect("reporting:detail", pk=report.pk)
    return transition_page(
        request,
        workflow=REPORT,
        obj=report,
        name="retry",
        template="reporting/report_detail.html",
        back=reverse("reporting:detail", args=[report.pk]),
    )


@login_required
@require_GET
def indicator_dashboard(request):
    _require_reports(request.user)
    form = FilterForm.from_query(request.GET)
    context = {"form": form, "query": request.GET.urlencode() or ""}
    if form.is_valid():
        context["data"] = selectors.dashboard_page_data(
            phase=form.cleaned_data["phase"], period=form.cleaned_data["period"]
        )
        context["query"] = _query(form)
        context["chart_names"] = charts.CHART_NAMES
    return render(request, "reporting/dashboard.html", context)


def _query(form: FilterForm) -> str:
    data = form.cleaned_data
    params = {"phase": data["phase"].pk, "preset": "custom"}
    params["date_from"], params["date_to"] = data["period"].start.isoformat(), data["period"].end.isoformat()
    return urlencode(params)


@login_required
@require_GET
def indicator_chart(request, name: str):
    _require_reports(request.user)
    if name not in charts.CHART_NAMES:
        raise Http404
    form = FilterForm.from_query(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("The filter is not valid."))
    phase, period = form.cleaned_data["phase"], form.cleaned_data["period"]
    svg = charts.render_chart(name, selectors.chart_data(name=name, phase=phase, period=period))
    return HttpResponse(svg, content_type="image/svg+xml")


@login_required
@require_GET
def export(request, dataset: str, fmt: str):
    _require_reports(request.user)
    if dataset not in exports.DATASETS or fmt not in exports.FORMATS:
        raise Http404
    form = FilterForm.from_query(request.GET)
    if not form.is_valid():
        # The dashboard's filter with its errors, so the person sees what to correct.
        return render(request, "reporting/dashboard.html", {"form": form, "query": ""}, status=400)
    phase, period = form.cleaned_data["phase"], form.cleaned_data["period"]
    table = exports.rows(dataset=dataset, phase=phase, period=period, user=request.user)
    filename = f"{dataset}-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_lines(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(
        exports.xlsx_file(table),
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
