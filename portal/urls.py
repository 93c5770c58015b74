from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("tra-cuu/", views.search, name="search"),
    path("don-vi/<str:edition>/<str:code>/", views.unit_detail, name="unit"),
]
