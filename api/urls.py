from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The Swagger UI's start script comes from its own URL (?script), not inline, for the strict CSP.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("v1/indicators/", views.IndicatorsView.as_view(), name="indicators"),
    path("v1/reports/", views.ReportListView.as_view(), name="reports"),
    path("v1/reports/<int:pk>/", views.ReportDetailView.as_view(), name="report"),
    path("v1/reports/<int:pk>/download/", views.ReportDownloadView.as_view(), name="report_download"),
    path("v1/applications/", views.ApplicationListView.as_view(), name="applications"),
    path("v1/applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application"),
    path("v1/companies/", views.CompanyListView.as_view(), name="companies"),
    path("v1/companies/<int:pk>/", views.CompanyDetailView.as_view(), name="company"),
    path("v1/coaching/cases/", views.CaseListView.as_view(), name="cases"),
    path("v1/coaching/cases/<int:pk>/", views.CaseDetailView.as_view(), name="case"),
    path("v1/coaching/cases/<int:pk>/sessions/", views.CaseSessionListView.as_view(), name="case_sessions"),
    path("v1/events/", views.EventListView.as_view(), name="events"),
    path("v1/events.ics", views.EventCalendarView.as_view(), name="events_ics"),
    # Any other address under /api/: a 404 as problem details, not the portal's HTML page.
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not_found"),
]
