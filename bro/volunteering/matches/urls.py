"""Placeholder until this area lands."""

app_name = "matches"
urlpatterns: list = []
