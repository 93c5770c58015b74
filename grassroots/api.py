"""The typed API under /api/v1/ (django-ninja); OpenAPI at /api/openapi.json."""

from django.http import HttpRequest, JsonResponse
from ninja import NinjaAPI

from certification.api import router as certification_router
from feedback.api import router as feedback_router
from surveys.api import router as surveys_router
from units.api import router as units_router

api = NinjaAPI(
    title="Grassroots API",
    version="1",
    description=(
        "Dân chủ ở cơ sở – Chính quyền thân thiện. Staff endpoints take a two-factor verified session or `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
)
api.add_router("/", units_router)
api.add_router("/certification/", certification_router)
api.add_router("/feedback/", feedback_router)
api.add_router("/surveys/", surveys_router)


def openapi_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(api.get_openapi_schema(path_prefix="/api/v1/"), json_dumps_params={"ensure_ascii": False})
