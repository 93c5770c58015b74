from django.urls import path

from supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.board_list, name="board_list"),
    path("ban/<int:pk>/", views.board_detail, name="board"),
    path("kien-nghi/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path("kien-nghi/qua-han/", views.overdue_list, name="overdue"),
    path("hoi-nghi/", views.meeting_list, name="meeting_list"),
    path("hoi-nghi/<int:pk>/", views.meeting_detail, name="meeting"),
    path("bao-cao/", views.report_list, name="report_list"),
    path("bao-cao/<int:pk>/", views.report_detail, name="report"),
    path("bao-cao/<int:pk>/tai/<str:fmt>/", views.report_download, name="report_download"),
    path("bao-cao/tong-hop/<int:form_id>/<str:start>/<str:fmt>/", views.aggregate_download, name="aggregate_download"),
    path("mau-bao-cao/", views.form_list, name="form_list"),
    path("mau-bao-cao/<int:pk>/", views.form_detail, name="form"),
]
