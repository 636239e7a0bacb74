from django.urls import path

from . import views

app_name = "coaching"
urlpatterns = [
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_create, name="request_create"),
    path("queue/", views.queue, name="queue"),
    path("caseload/", views.caseload, name="caseload"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:pk>/coaches/", views.case_add_coach, name="case_add_coach"),
    path("cases/<int:pk>/do/<slug:action>/", views.case_action, name="case_action"),
    path("cases/<int:pk>/sessions/plan/", views.session_plan, name="session_plan"),
    path("cases/<int:pk>/sessions/record/", views.session_record, name="session_record"),
    path("cases/<int:pk>/sessions/<int:session_pk>/record/", views.session_record, name="session_record_planned"),
    path("cases/<int:pk>/sessions/<int:session_pk>/reschedule/", views.session_reschedule, name="session_reschedule"),
    path("cases/<int:pk>/sessions/<int:session_pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("cases/<int:pk>/sessions/<int:session_pk>/correct/", views.session_correct, name="session_correct"),
    path(
        "cases/<int:pk>/sessions/<int:session_pk>/invitation.ics", views.session_invitation, name="session_invitation"
    ),
    path("sessions/upcoming/", views.upcoming_sessions, name="upcoming_sessions"),
    path("next-steps/<int:pk>/toggle/", views.next_step_toggle, name="next_step_toggle"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/register/", views.event_register, name="event_register"),
    path("events/registrations/<int:pk>/cancel/", views.event_registration_cancel, name="event_registration_cancel"),
    path("events/<int:pk>/attendance/", views.event_attendance, name="event_attendance"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/meetings/", views.project_meeting_add, name="project_meeting_add"),
]
