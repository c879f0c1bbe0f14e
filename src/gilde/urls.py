from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from gilde.accounts.auth_views import GildeLoginView, login_verify
from gilde.api import api, unknown_path
from gilde.core import views as core_views

urlpatterns = [
    path("", core_views.dashboard, name="dashboard"),
    path("health/", core_views.health, name="health"),
    path("login/", GildeLoginView.as_view(), name="login"),
    path("login/verify/", login_verify, name="login_verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("gilde.relations.urls")),
    path("", include("gilde.contacts.urls")),
    path("", include("gilde.accounts.urls")),
    path("", include("gilde.accounts.team_urls")),
    path("", include("gilde.maintenance.urls")),
    path("", include("gilde.goodwill.urls")),
    path("", include("gilde.imports.urls")),
    path("", include("gilde.audit.urls")),
    path("", include("gilde.privacy.urls")),
    path("", include("gilde.core.urls")),
    path("", include("gilde.events.urls")),
    path("", include("gilde.network.urls")),
    path("strategy/", include("gilde.strategy.urls")),
    path("", include("gilde.autolog.urls")),
    path("", include("gilde.members.urls")),
    # The API's root leads to its documentation (django-ninja's own root answers 404).
    path("api/v1/", RedirectView.as_view(pattern_name="api-v1:openapi-view"), name="api_home"),
    path("api/v1/", api.urls),
    path("api/v1/<path:rest>", unknown_path, name="api_unknown_path"),
    path("admin/", admin.site.urls),
]

handler500 = "gilde.core.views.server_error"
