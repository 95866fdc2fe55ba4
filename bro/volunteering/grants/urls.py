"""Placeholder until this area lands."""

app_name = "grants"
urlpatterns: list = []
