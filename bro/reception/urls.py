from django.urls import path

from bro.reception import views

app_name = "reception"
urlpatterns = [
    path("", views.centre_list, name="centre_list"),
    path("centres/<uuid:centre_id>/", views.centre_detail, name="centre_detail"),
    path("centres/<uuid:centre_id>/capacity/", views.centre_capacity, name="centre_capacity"),
    path("centres/<uuid:centre_id>/changes/", views.centre_change, name="centre_change"),
    path("host/<uuid:municipality_id>/", views.host_detail, name="host_detail"),
    path("host/<uuid:municipality_id>/services/", views.host_service, name="host_service"),
    path("persons/<uuid:person_id>/training/", views.training, name="training"),
]
