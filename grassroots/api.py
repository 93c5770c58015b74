"""The typed API under /api/v1/ (django-ninja); OpenAPI at /api/openapi.json. Each capability's
router is added where its manifest (<app>/capability.py) says."""

from collections.abc import Iterable

from django.http import HttpRequest, JsonResponse
from django.utils.module_loading import import_string
from ninja import NinjaAPI

from core import capabilities


def build_api(mounts: Iterable[capabilities.Api], *, urls_namespace: str = "api") -> NinjaAPI:
    built = NinjaAPI(
        title="Grassroots API",
        version="1",
        description=(
            "Dân chủ ở cơ sở – Chính quyền thân thiện. "
            "Staff endpoints take a two-factor verified session or `Authorization: Bearer <token>`."
        ),
        urls_namespace=urls_namespace,
        openapi_url="/openapi.json",
        docs_url=None,
    )
    for mount in mounts:
        built.add_router(mount.prefix, import_string(mount.router))
    return built


api = build_api(capabilities.api_mounts())


def openapi_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(api.get_openapi_schema(path_prefix="/api/v1/"), json_dumps_params={"ensure_ascii": False})
