from django.urls import path

from bro.volunteering.grants import views

app_name = "grants"
urlpatterns = [
    path("", views.scheme_list, name="scheme_list"),
    path("schemes/new/", views.scheme_create, name="scheme_create"),
    path("schemes/<uuid:scheme_id>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<uuid:scheme_id>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<uuid:scheme_id>/apply/<uuid:organisation_id>/", views.apply, name="apply"),
    path("applications/<uuid:application_id>/", views.application_detail, name="application_detail"),
    path("applications/<uuid:application_id>/decide/", views.application_decide, name="application_decide"),
    path("applications/<uuid:application_id>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "applications/<uuid:application_id>/attachments/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("applications/<uuid:application_id>/report/", views.report, name="report"),
    path("organisations/<uuid:organisation_id>/", views.profile, name="profile"),
    path("organisations/<uuid:organisation_id>/edit/", views.profile_edit, name="profile_edit"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<uuid:agreement_id>/", views.agreement_detail, name="agreement_detail"),
]
