from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django_otp.admin import OTPAdminSite

from core import capabilities
from core.health import healthz, livez, readyz
from core.prometheus import metrics_view
from grassroots.api import api, openapi_json

if settings.OTP_REQUIRED:
    # The Django admin, like every staff page, needs the second factor.
    admin.site.__class__ = OTPAdminSite

# Every capability's staff and public pages, where its manifest (<app>/capability.py) mounts them.
urlpatterns: list[URLPattern | URLResolver] = [path(mount.prefix, include(mount.module)) for mount in capabilities.url_mounts()]
urlpatterns += [
    path("api/openapi.json", openapi_json, name="openapi"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path(settings.ADMIN_URL, admin.site.urls),
]
