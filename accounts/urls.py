from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("i18n/setlang/", views.set_language, name="set_language"),
]
