from django.urls import path

from feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("vao-so/", views.case_enter, name="case_enter"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/xu-ly/", views.case_act, name="case_act"),
    path("tep/<int:pk>/", views.attachment, name="attachment"),
    path("thong-ke/", views.dashboard, name="dashboard"),
    path("thong-ke/excel/", views.dashboard_export, name="dashboard_export"),
    path("quy-tac/", views.rules, name="rules"),
    path("quy-tac/<int:pk>/xoa/", views.rule_delete, name="rule_delete"),
    path("thoi-han/<str:key>/", views.deadline_save, name="deadline_save"),
    path("quay/", views.counter_list, name="counter_list"),
    path("quay/them/", views.counter_edit, name="counter_create"),
    path("quay/<int:pk>/sua/", views.counter_edit, name="counter_edit"),
    path("quay/<int:pk>/ma-qr.pdf", views.counter_qr, name="counter_qr"),
]
