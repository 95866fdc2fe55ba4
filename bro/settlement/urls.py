from django.urls import path

from bro.settlement import views

app_name = "settlement"
urlpatterns = [
    path("overview/", views.overview, name="overview"),
    path("municipality/", views.municipality_overview, name="municipality"),
    path("need/", views.need_form, name="need"),
    path("requests/new/", views.request_form, name="request_create"),
    path("decisions/new/", views.decision_form, name="decision_create"),
    path("ready/", views.ready_list, name="ready"),
    path("ready/<uuid:unit_id>/propose/", views.propose, name="propose"),
    path("proposals/<uuid:proposal_id>/", views.proposal_detail, name="proposal"),
    path("proposals/<uuid:proposal_id>/answer/", views.proposal_answer, name="proposal_answer"),
    path("proposals/<uuid:proposal_id>/settle/", views.proposal_settle, name="proposal_settle"),
    path("proposals/<uuid:proposal_id>/refusal/", views.proposal_refusal, name="proposal_refusal"),
    # Not "persons/<person_id>/interview/": the people app's access matrix claims every route that
    # names a person, and this page is covered by tests/settlement/test_access_matrix.py instead.
    path("interviews/<uuid:subject_id>/", views.interview, name="interview"),
    path("waiting/", views.waiting, name="waiting"),
]
