from django.urls import path

from steering import rating_views, views

app_name = "steering"

urlpatterns = [
    path("", views.index, name="index"),
    path("nhiem-vu/<int:task_id>/", views.task, name="task"),
    path("nhiem-vu/<int:task_id>/bao-cao/", views.report, name="report"),
    path("nhiem-vu/<int:task_id>/quyet-dinh/", views.decide, name="decide"),
    path("nhiem-vu/<int:task_id>/tai-lieu/<int:report_id>/", views.document, name="document"),
]

# The chairman responsibility rating (task 9): url names prefixed rating_.
urlpatterns += [
    path("xep-loai/", rating_views.rating_index, name="rating_index"),
    path("xep-loai/tinh/", rating_views.rating_compute, name="rating_compute"),
    path("xep-loai/<int:rating_id>/", rating_views.rating_detail, name="rating_detail"),
    path("xep-loai/<int:year>.<str:fmt>", rating_views.rating_export, name="rating_export"),
    path("xep-loai/phuong-phap/", rating_views.rating_methods, name="rating_methods"),
    path("xep-loai/phuong-phap/<int:method_id>/", rating_views.rating_method, name="rating_method"),
    path("xep-loai/phuong-phap/<int:method_id>/sua/", rating_views.rating_method_edit, name="rating_method_edit"),
    path("xep-loai/nhiem-vu/", rating_views.rating_tasks, name="rating_tasks"),
]
