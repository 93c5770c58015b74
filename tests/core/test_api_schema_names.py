"""django-ninja names each OpenAPI component after its schema class: two capabilities' classes with
the same name silently share one component, and clients then validate one endpoint's responses
against the other's fields (schemathesis found `FileOut`, `MemberOut`, `GroupOut` and `Error` so)."""

from collections import defaultdict

from django.test import Client
from ninja import Schema


def _all_subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    sub: type
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _all_subclasses(sub)
    return found


def test_every_api_schema_class_name_is_unique_across_capabilities(client: Client) -> None:
    client.get("/api/openapi.json")  # every router mounted, every schema module imported
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _all_subclasses(Schema):
        module = cls.__module__
        if module.split(".")[0] in {"ninja", "pydantic"} or module.startswith("tests"):
            continue
        by_name[cls.__name__].add(module)
    clashes = {name: sorted(modules) for name, modules in by_name.items() if len(modules) > 1}
    assert clashes == {}


def test_openapi_components_keep_each_capabilitys_fields(client: Client) -> None:
    components = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert "unit_name" in components["FileOut"]["properties"]  # certification's file, not a stored file
    assert "content_type" in components["DisclosureFileOut"]["properties"]


def test_a_refused_request_body_matches_the_declared_error(client: Client) -> None:
    """django-ninja answers a body its schema refuses with 422 and a list of field errors: the
    survey API's error schema must declare that shape too (the shared name `Error` had hidden it)."""
    response = client.post("/api/v1/surveys/public/token/responses", data={}, content_type="application/json", HTTP_SURVEY_TOKEN="x")
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)
    detail = client.get("/api/openapi.json").json()["components"]["schemas"]["SurveyError"]["properties"]["detail"]
    assert {"string", "array"} <= {option.get("type") for option in detail["anyOf"]}
