"""The typed API under /api/v1/ (django-ninja); OpenAPI at /api/openapi.json."""

from django.http import HttpRequest, JsonResponse
from ninja import NinjaAPI

from units.api import router as units_router

api = NinjaAPI(
    title="Grassroots API",
    version="1",
    description=(
        "Dân chủ ở cơ sở – Chính quyền thân thiện. "
        "Staff endpoints take a two-factor verified session or `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
)
api.add_router("/", units_router)


def openapi_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(api.get_openapi_schema(path_prefix="/api/v1/"), json_dumps_params={"ensure_ascii": False})
