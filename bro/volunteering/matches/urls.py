from django.urls import path

from bro.volunteering.matches import views

app_name = "matches"
urlpatterns = [
    path("", views.match_list, name="match_list"),
    path("new/<uuid:person_id>/", views.match_request, name="match_request"),
    path("<uuid:match_id>/", views.match_detail, name="match_detail"),
    path("<uuid:match_id>/consent/", views.match_consent, name="match_consent"),
    path("<uuid:match_id>/consent/withdraw/", views.match_withdraw, name="match_withdraw"),
    path("<uuid:match_id>/volunteer/", views.match_assign, name="match_assign"),
    path("<uuid:match_id>/start/", views.match_start, name="match_start"),
    path("<uuid:match_id>/check-ins/", views.match_check_in, name="match_check_in"),
    path("<uuid:match_id>/end/", views.match_end, name="match_end"),
    path(
        "<uuid:match_id>/feedback/volunteer/", views.match_volunteer_feedback, name="match_volunteer_feedback"
    ),
    path("<uuid:match_id>/feedback/refugee/", views.match_refugee_feedback, name="match_refugee_feedback"),
]
