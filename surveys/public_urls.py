from django.urls import path

from surveys import public_views

app_name = "surveys_public"
urlpatterns = [
    path("t/", public_views.token_form, name="token"),
    path("m/<str:key>/", public_views.open_form, name="open"),
    path("cam-on/<str:key>/", public_views.thanks, name="thanks"),
]
