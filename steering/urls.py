from django.urls import path

from steering import views

app_name = "steering"

urlpatterns = [
    path("", views.index, name="index"),
    path("nhiem-vu/<int:task_id>/", views.task, name="task"),
    path("nhiem-vu/<int:task_id>/bao-cao/", views.report, name="report"),
    path("nhiem-vu/<int:task_id>/quyet-dinh/", views.decide, name="decide"),
    path("nhiem-vu/<int:task_id>/tai-lieu/<int:report_id>/", views.document, name="document"),
]
