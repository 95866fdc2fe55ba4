from django.urls import path

from bro.settlement.matchingruns import views

app_name = "matchingruns"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("<uuid:run_id>/", views.run_detail, name="run"),
    path("<uuid:run_id>/<str:part>.json", views.run_file, name="run_file"),
]
