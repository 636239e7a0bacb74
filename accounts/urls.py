from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("privacy/", views.privacy_page, name="privacy"),
    path("privacy/export/", views.privacy_export, name="privacy_export"),
    path("privacy/erase/", views.privacy_erase, name="privacy_erase"),
]
