from django.urls import path

from disclosure import views

app_name = "disclosure"
urlpatterns = [
    path("", views.register, name="register"),
    path("ghi-so/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:corrects_id>/dinh-chinh/", views.create, name="correct"),
    path("<int:pk>/cong-khai/", views.disclose, name="disclose"),
    path("<int:pk>/phat-loa/", views.broadcast, name="broadcast"),
    path("niem-yet/<int:posting_id>/anh/", views.photo, name="photo"),
    path("niem-yet/<int:posting_id>/go-xuong/", views.end_posting, name="end_posting"),
    path("anh/<int:photo_id>/", views.photo_file, name="photo_file"),
    path("so-quy/<int:unit_id>/<int:year>/<int:quarter>.<str:fmt>", views.quarterly, name="quarterly"),
    path("lien-he/<int:unit_id>/", views.contact, name="contact"),
    path("nghia-vu/", views.obligations, name="obligations"),
    path("nghia-vu/<int:pk>/", views.obligation_edit, name="obligation_edit"),
]
