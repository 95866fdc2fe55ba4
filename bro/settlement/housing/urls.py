from django.urls import path

from bro.settlement.housing import views

app_name = "housing"
urlpatterns = [
    path("self-settlement/", views.overview, name="overview"),
    path("terms/", views.terms_edit, name="terms_edit"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<uuid:request_id>/", views.request_detail, name="request_detail"),
    path("requests/<uuid:request_id>/decide/", views.request_decide, name="request_decide"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<uuid:unit_id>/allocate/", views.unit_allocate, name="unit_allocate"),
    path("households/", views.household_list, name="household_list"),
    path("households/<uuid:household_id>/", views.household_detail, name="household_detail"),
    path("households/<uuid:household_id>/support/", views.household_support, name="household_support"),
    path("households/<uuid:household_id>/guidance/", views.household_guidance, name="household_guidance"),
    path("allocations/<uuid:allocation_id>/end/", views.allocation_end, name="allocation_end"),
]
