from django.urls import path

from bro.qualification.views import attendance, decisions, export, overview, participants

app_name = "qualification"
urlpatterns = [
    path("", participants.participant_list, name="participant_list"),
    path("persons/<uuid:person_id>/open/", participants.open_case, name="open_case"),
    path("persons/<uuid:person_id>/training/", participants.training_history, name="training_history"),
    path("participants/<uuid:participant_id>/", participants.participant_detail, name="participant_detail"),
    path("participants/<uuid:participant_id>/assign/", participants.assign, name="assign"),
    path("participants/<uuid:participant_id>/mapping/", participants.mapping, name="mapping"),
    path("participants/<uuid:participant_id>/goals/", participants.goals, name="goals"),
    path("participants/<uuid:participant_id>/plan/", participants.plan, name="plan"),
    path("participants/<uuid:participant_id>/start/", participants.start, name="start"),
    path("participants/<uuid:participant_id>/end/", participants.end, name="end"),
    path("participants/<uuid:participant_id>/one-year/", participants.one_year, name="one_year"),
    *decisions.urlpatterns,
    *attendance.urlpatterns,
    *export.urlpatterns,
    *overview.urlpatterns,
]
