from django.urls import path

from steering import directive_views, member_views, overview_views, practice_views, rating_views, views, work_views

app_name = "steering"

urlpatterns = [
    path("", views.index, name="index"),
    path("van-ban/them/", directive_views.directive_create, name="directive_create"),
    path("van-ban/<int:directive_id>/", directive_views.directive, name="directive"),
    path("nhiem-vu/<int:task_id>/", views.task, name="task"),
    path("nhiem-vu/<int:task_id>/bao-cao/", views.report, name="report"),
    path("nhiem-vu/<int:task_id>/quyet-dinh/", views.decide, name="decide"),
    path("nhiem-vu/<int:task_id>/tai-lieu/<int:report_id>/", views.document, name="document"),
    path("tong-quan/", overview_views.overview_page, name="overview"),
    path("tong-quan/tinh-lai/", overview_views.overview_refresh, name="overview_refresh"),
    path("tong-quan/bao-cao.<str:fmt>", overview_views.report_download, name="report_download"),
    # The committee's work: meetings, dissemination and training, inspections.
    path("hop/", work_views.meetings_index, name="meetings_index"),
    path("hop/che-do/", work_views.meetings_regime, name="meetings_regime"),
    path("hop/ban/<int:committee_id>/", work_views.meetings_committee, name="meetings_committee"),
    path("hop/ban/<int:committee_id>/len-lich/", work_views.meetings_schedule, name="meetings_schedule"),
    path("hop/<int:meeting_id>/", work_views.meetings_meeting, name="meetings_meeting"),
    path("hop/<int:meeting_id>/da-hop/", work_views.meetings_hold, name="meetings_hold"),
    path("hop/<int:meeting_id>/huy/", work_views.meetings_cancel, name="meetings_cancel"),
    path("hop/<int:meeting_id>/bien-ban/", work_views.meetings_minutes, name="meetings_minutes"),
    path("hop/<int:meeting_id>/bien-ban/tai-len/", work_views.meetings_minutes_upload, name="meetings_minutes_upload"),
    path("hop/<int:meeting_id>/ket-luan/", work_views.meetings_conclude, name="meetings_conclude"),
    path("tuyen-truyen/", work_views.dissemination_index, name="dissemination_index"),
    path("tuyen-truyen/ghi/", work_views.dissemination_record, name="dissemination_record"),
    path("tuyen-truyen/tin-bai/", work_views.dissemination_media, name="dissemination_media"),
    path("tuyen-truyen/<int:session_id>/tai-lieu/", work_views.dissemination_document, name="dissemination_document"),
    path("tuyen-truyen/chua-quan-triet/", work_views.dissemination_missing, name="dissemination_missing"),
    path("tuyen-truyen/danh-sach/", work_views.dissemination_organisation, name="dissemination_organisation"),
    path("kiem-tra/", work_views.inspection_index, name="inspection_index"),
    path("kiem-tra/ke-hoach/", work_views.inspection_plan_create, name="inspection_plan_create"),
    path("kiem-tra/<int:plan_id>/", work_views.inspection_plan, name="inspection_plan"),
    path("kiem-tra/<int:plan_id>/dot/", work_views.inspection_visit_add, name="inspection_visit_add"),
    path("kiem-tra/dot/<int:visit_id>/", work_views.inspection_visit, name="inspection_visit"),
    path("kiem-tra/dot/<int:visit_id>/ket-qua/", work_views.inspection_visit_record, name="inspection_visit_record"),
    path("kiem-tra/dot/<int:visit_id>/huy/", work_views.inspection_visit_cancel, name="inspection_visit_cancel"),
    path("kiem-tra/dot/<int:visit_id>/kien-nghi/", work_views.inspection_recommend, name="inspection_recommend"),
    path("kiem-tra/dot/<int:visit_id>/bao-cao/", work_views.inspection_report, name="inspection_report"),
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
