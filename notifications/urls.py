from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("settings/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("tasks/", views.task_list, name="tasks"),
]

urlpatterns += [
    path("cases/<int:pk>/messages/", views.case_thread, name="case_thread"),
    path("applications/<int:pk>/messages/", views.application_thread, name="application_thread"),
    path("messages/files/<int:pk>/", views.message_attachment, name="message_attachment"),
]
