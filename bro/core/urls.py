from django.contrib.auth import views as auth_views
from django.urls import path

from bro.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("admin/organisations/", views.organisation_list, name="organisation_list"),
    path("admin/organisations/new/", views.organisation_create, name="organisation_create"),
    path("admin/organisations/<uuid:org_id>/", views.organisation_edit, name="organisation_edit"),
    path("admin/users/", views.user_list, name="user_list"),
    path("admin/users/new/", views.user_create, name="user_create"),
    path("admin/users/<uuid:user_id>/", views.user_edit, name="user_edit"),
    path("admin/users/<uuid:user_id>/active/", views.user_set_active, name="user_set_active"),
    path("admin/memberships/<int:membership_id>/remove/", views.membership_remove, name="membership_remove"),
    path("admin/audit/", views.audit_log, name="audit_log"),
    path("notifications/", views.notification_list, name="notifications"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job"),
    path("jobs/<uuid:job_id>/progress/", views.job_progress, name="job_progress"),
]
