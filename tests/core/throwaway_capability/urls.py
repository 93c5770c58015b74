from django.http import HttpRequest, HttpResponse
from django.urls import path


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Trang thử nghiệm")


app_name = "throwaway"
urlpatterns = [path("", home, name="home")]
