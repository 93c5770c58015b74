from django.urls import path

from steering import public_views

app_name = "steering_public"
urlpatterns = [
    path("", public_views.practice_list, name="practice_list"),
    path("<int:practice_id>/", public_views.practice_detail, name="practice_detail"),
    path("<int:practice_id>/tep/<int:attachment_id>/", public_views.practice_file, name="practice_file"),
]
