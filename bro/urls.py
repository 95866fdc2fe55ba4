from django.urls import include, path

from bro.api import api
from bro.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("", include("bro.core.urls")),
    path("persons/", include("bro.people.urls")),
    path("reception/", include("bro.reception.urls")),
    path("settlement/", include("bro.settlement.urls")),
    path("housing/", include("bro.settlement.housing.urls")),
    path("settlement/outcomes/", include("bro.settlement.outcomes.urls")),
    path("settlement/matching/", include("bro.settlement.matchingruns.urls")),
    path("qualification/", include("bro.qualification.urls")),
    path("volunteering/", include("bro.volunteering.urls")),
    path("volunteering/matches/", include("bro.volunteering.matches.urls")),
    path("volunteering/grants/", include("bro.volunteering.grants.urls")),
]
