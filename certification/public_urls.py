from django.urls import path

from certification import public_views

app_name = "certification_public"
urlpatterns = [
    path("", public_views.recognised_list, name="recognised"),
]
