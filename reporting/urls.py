from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/status/", views.report_status, name="status"),
    path("<int:pk>/download/", views.report_download, name="download"),
    path("<int:pk>/retry/", views.report_retry, name="retry"),
    path("indicators/", views.indicator_dashboard, name="dashboard"),
    path("indicators/charts/<slug:name>.svg", views.indicator_chart, name="chart"),
    path("exports/<slug:dataset>.<slug:fmt>", views.export, name="export"),
]
