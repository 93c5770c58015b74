from django.urls import path

from participation import views

app_name = "participation"
urlpatterns = [
    path("", views.index, name="index"),
    path("thon/<int:pk>/", views.village, name="village"),
    path("thon/<int:pk>/nhap-so-ho/", views.village_import, name="village_import"),
    path("thon/<int:pk>/noi-dung-moi/", views.matter_create, name="matter_create"),
    path("noi-dung/<int:pk>/", views.matter_detail, name="matter"),
    path("toan-xa/moi/", views.commune_matter_create, name="commune_matter_create"),
    path("toan-xa/<int:pk>/", views.commune_matter, name="commune_matter"),
    path("thon/<int:pk>/kien-nghi/", views.initiative_open, name="initiative_open"),
    path("kien-nghi/<int:pk>/dua-ra-ban/", views.initiative_to_matter, name="initiative_to_matter"),
    path("noi-dung/<int:pk>/thao-tac/", views.matter_act, name="matter_act"),
    path("noi-dung/<int:pk>/mo-bieu-quyet/", views.matter_open_vote, name="matter_open_vote"),
    path("noi-dung/<int:pk>/cap-lai-ma/<int:household_pk>/", views.matter_reissue, name="matter_reissue"),
]
urlpatterns += [
    path("lay-y-kien/", views.consultations, name="consultations"),
    path("lay-y-kien/<int:pk>/", views.consultation, name="consultation"),
]
