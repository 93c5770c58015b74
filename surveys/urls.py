from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("dot/tao/", views.campaign_create, name="campaign_create"),
    path("dot/<int:pk>/", views.campaign_detail, name="campaign"),
    path("dot/<int:pk>/trang-thai/", views.campaign_state, name="campaign_state"),
    path("dot/<int:pk>/co-cau/", views.campaign_margins, name="margins"),
    path("dot/<int:pk>/quy-mo/", views.campaign_populations, name="populations"),
    path("dot/<int:pk>/co-cau/<slug:variable>/xoa/", views.margin_remove, name="margin_remove"),
    path("dot/<int:pk>/ket-qua/", views.campaign_results, name="results"),
    path("dot/<int:pk>/xuat/<slug:kind>/", views.campaign_export, name="export"),
    path("tang/<int:pk>/qr.pdf", views.stratum_qr, name="stratum_qr"),
    path("tang/<int:pk>/ma-moi/", views.stratum_tokens, name="stratum_tokens"),
    path("tang/<int:pk>/nhap-phieu/", views.stratum_entry, name="stratum_entry"),
    path("phieu/", views.instrument_list, name="instrument_list"),
    path("phieu/nhap-xlsform/", views.xlsform_import, name="xlsform_import"),
    path("phieu/<int:pk>/", views.version_detail, name="version"),
    path("phieu/<int:pk>/xlsform.xlsx", views.version_xlsform, name="version_xlsform"),
    path("phieu/<int:pk>/cau-hoi/<int:question_pk>/xoa/", views.question_delete, name="question_delete"),
]
