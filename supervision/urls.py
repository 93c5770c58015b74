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
]
