from django.urls import path

from steering import overview_views, views

app_name = "steering"

urlpatterns = [
    path("", views.index, name="index"),
    path("nhiem-vu/<int:task_id>/", views.task, name="task"),
    path("nhiem-vu/<int:task_id>/bao-cao/", views.report, name="report"),
    path("nhiem-vu/<int:task_id>/quyet-dinh/", views.decide, name="decide"),
    path("nhiem-vu/<int:task_id>/tai-lieu/<int:report_id>/", views.document, name="document"),
    path("tong-quan/", overview_views.overview_page, name="overview"),
    path("tong-quan/tinh-lai/", overview_views.overview_refresh, name="overview_refresh"),
    path("tong-quan/bao-cao.<str:fmt>", overview_views.report_download, name="report_download"),
]
