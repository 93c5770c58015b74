from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from core.health import healthz
from grassroots.api import api, openapi_json

if settings.OTP_REQUIRED:
    # The Django admin, like every staff page, needs the second factor.
    admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", include("portal.urls")),
    path("", include("accounts.urls")),
    path("staff/", include("units.urls")),
    path("staff/chung-nhan/", include("certification.urls")),
    path("staff/phan-anh/", include("feedback.urls")),
    path("staff/khao-sat/", include("surveys.urls")),
    path("chinh-quyen-than-thien/", include("certification.public_urls")),
    path("phan-anh/", include("feedback.public_urls")),
    path("khao-sat/", include("surveys.public_urls")),
    path("api/openapi.json", openapi_json, name="openapi"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
]
