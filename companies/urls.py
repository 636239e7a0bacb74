from django.urls import path

from . import views

app_name = "companies"
urlpatterns = [
    path("", views.company_list, name="list"),
    path("new/", views.company_create, name="create"),
    path("<int:pk>/", views.company_detail, name="detail"),
    path("<int:pk>/edit/", views.company_edit, name="edit"),
    path("<int:pk>/history/", views.company_history, name="history"),
    path("<int:pk>/invite/", views.company_invite, name="invite"),
    path("<int:pk>/handover/", views.company_handover, name="handover"),
    path("invitations/<uuid:token>/", views.invitation_accept, name="invitation_accept"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
]
