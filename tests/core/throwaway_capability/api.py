from django.http import HttpRequest
from ninja import Router

router = Router(tags=["throwaway"])


@router.get("/ping", url_name="throwaway_ping")
def ping(request: HttpRequest) -> dict[str, str]:
    return {"pong": "ok"}
