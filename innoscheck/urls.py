from django.urls import path

from . import views

app_name = "innoscheck"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_create, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/<slug:step>/", views.application_edit, name="edit"),
    path("<int:pk>/action/<slug:action>/", views.application_action, name="action"),
    path("<int:pk>/delete/", views.application_delete, name="delete"),
    path("<int:pk>/documents/<slug:kind>/", views.voucher_document, name="document"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("review/", views.review_queue, name="queue"),
    path("experts/", views.expert_list, name="experts"),
    path("experts/new/", views.expert_edit, name="expert_create"),
    path("experts/<int:pk>/edit/", views.expert_edit, name="expert_edit"),
    path("experts/<int:pk>/confirm/", views.expert_confirm, name="expert_confirm"),
]
