from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from metalloop.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    # One login page for everyone: it is the one that says how long a paused login waits.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("metalloop.accounts.urls")),
    path("reference/", include("metalloop.materials.urls")),
    path("exchange/", include("metalloop.exchange.urls")),
    path("matching/", include("metalloop.matching.urls")),
    path("", include("metalloop.network.urls")),
]

handler400 = "metalloop.common.views.bad_request"
