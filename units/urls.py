from django.urls import path

from units import views

app_name = "units"
urlpatterns = [
    path("don-vi/", views.unit_list, name="unit_list"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit"),
    path("don-vi/<int:unit_pk>/ban-chi-dao/them/", views.committee_create, name="committee_create"),
    path("ban-chi-dao/", views.committee_list, name="committee_list"),
    path("ban-chi-dao/<int:pk>/", views.committee_detail, name="committee"),
    path("ban-chi-dao/<int:pk>/sua/", views.committee_edit, name="committee_edit"),
    path("ban-chi-dao/<int:pk>/thanh-vien/them/", views.member_add, name="member_add"),
    path("thanh-vien/<int:pk>/sua/", views.member_edit, name="member_edit"),
    path("thanh-vien/<int:pk>/xoa/", views.member_remove, name="member_remove"),
]
