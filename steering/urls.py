from django.urls import path

from steering import member_views, overview_views, practice_views, views

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

# Members guide their localities (task 8); good practices and criticism (task 5).

urlpatterns += [
    path("thanh-vien/", member_views.members_index, name="members_index"),
    path("thanh-vien/<int:member_id>/", member_views.members_detail, name="members_detail"),
    path("thanh-vien/<int:member_id>/ghi/", member_views.members_record, name="members_record"),
    path("thanh-vien/<int:member_id>/tep/<int:entry_id>/", member_views.members_file, name="members_file"),
    path("nhiem-vu/<int:task_id>/don-doc/", member_views.members_urge, name="members_urge"),
    path("mo-hinh/", practice_views.practices_index, name="practices_index"),
    path("mo-hinh/them/", practice_views.practices_create, name="practices_create"),
    path("mo-hinh/<int:practice_id>/", practice_views.practices_detail, name="practices_detail"),
    path("mo-hinh/<int:practice_id>/dang/", practice_views.practices_publication, name="practices_publication"),
    path("mo-hinh/<int:practice_id>/tep/<int:attachment_id>/", practice_views.practices_file, name="practices_file"),
    path("phe-binh/them/", practice_views.criticism_create, name="criticism_create"),
    path("phe-binh/<int:criticism_id>/", practice_views.criticism_detail, name="criticism_detail"),
    path("phe-binh/<int:criticism_id>/tep/", practice_views.criticism_file, name="criticism_file"),
]
