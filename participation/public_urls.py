from django.urls import path

from participation import public_views

app_name = "participation_public"
urlpatterns = [
    path("", public_views.vote, name="vote"),
    path("noi-dung/<int:pk>/", public_views.matter_public, name="matter"),
    path("toan-xa/<int:pk>/", public_views.commune_matter_public, name="commune_matter"),
]
urlpatterns += [
    path("y-kien/<int:pk>/", public_views.consultation_public, name="consultation"),
    path("kien-nghi/", public_views.initiative, name="initiative"),
]
