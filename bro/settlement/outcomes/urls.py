from django.urls import path

from bro.settlement.outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("models/", views.model_list, name="models"),
    path("models/retrain/", views.retrain, name="retrain"),
    path("models/<uuid:version_id>/activate/", views.activate, name="activate"),
    path("municipalities/", views.municipality_list, name="municipality_list"),
    path("municipalities/<str:number>/<int:year>/", views.municipality_edit, name="municipality_edit"),
    path("persons/<uuid:subject_id>/", views.profile, name="profile"),
]
