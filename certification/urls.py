from django.urls import path

from certification import views

app_name = "certification"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("dot/moi/", views.campaign_create, name="campaign_create"),
    path("dot/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("dot/<int:pk>/xa/<int:unit_pk>/", views.commune_file, name="commune_file"),
    path("dot/<int:pk>/huyen/<int:district_pk>/gui-tinh/", views.forward, name="forward"),
    path("dot/<int:pk>/qua-han/", views.overdue, name="overdue"),
    path("dot/<int:pk>/chi-tieu/", views.targets, name="targets"),
    path("dot/<int:pk>/chat-luong-tham-dinh/", views.quality, name="quality"),
    path("dot/<int:pk>/chat-luong-tham-dinh.xlsx", views.quality_export, name="quality_export"),
    path("dot/<int:pk>/danh-sach-cong-nhan.<str:fmt>", views.decision_list, name="decision_list"),
    path("bo-tieu-chi/", views.criteria_list, name="criteria_list"),
    path("bo-tieu-chi/nhap/", views.criteria_import, name="criteria_import"),
    path("bo-tieu-chi/<int:pk>/", views.criteria_detail, name="criteria_detail"),
    path("bo-tieu-chi/<int:pk>/xuat.xlsx", views.criteria_export, name="criteria_export"),
    path("bo-tieu-chi/<int:pk>/<str:action>/", views.criteria_action, name="criteria_action"),
    path("ho-so/<int:pk>/", views.file_detail, name="file_detail"),
    path("ho-so/<int:pk>/tai-lieu/", views.upload_document, name="upload_document"),
    path("ho-so/<int:pk>/tai-lieu/<int:doc_pk>/rut/", views.withdraw_document, name="withdraw_document"),
    path("tep/<int:pk>/", views.evidence, name="evidence"),
    path("ho-so/<int:pk>/tu-danh-gia/", views.self_assessment, name="self_assessment"),
    path("ho-so/<int:pk>/to-tham-dinh/<str:level>/", views.team, name="team"),
    path("ho-so/<int:pk>/cam-ket/<str:level>/", views.declare, name="declare"),
    path("ho-so/<int:pk>/cham-diem/<str:level>/", views.appraise, name="appraise"),
    path("ho-so/<int:pk>/kiem-tra-thuc-te/", views.site_visit, name="site_visit"),
    path("ho-so/<int:pk>/thao-tac/<str:action>/", views.act, name="act"),
    path("ho-so/<int:pk>/quyet-dinh/", views.decide, name="decide"),
    path("ho-so/<int:pk>/quyet-dinh-cong-nhan.<str:fmt>", views.decision_document, name="decision_document"),
    path("ho-so/<int:pk>/giay-cong-nhan.<str:fmt>", views.certificate, name="certificate"),
    path("mau-van-ban/", views.document_templates, name="document_templates"),
    path("mau-van-ban/<int:province_pk>/", views.document_template, name="document_template"),
]
