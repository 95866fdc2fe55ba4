from bro.volunteering.views import needs, signup

app_name = "volunteering"
urlpatterns = [*signup.urlpatterns, *needs.urlpatterns]
