from django.urls import path

from feedback import open311, public_views

app_name = "feedback_public"
urlpatterns = [
    path("", public_views.submit, name="submit"),
    path("tim-xa/", public_views.unit_search, name="unit_search"),
    path("tra-cuu/", public_views.track, name="track"),
    path("tra-cuu/bo-sung/", public_views.track_add_info, name="track_add_info"),
    path("tra-cuu/xac-nhan/", public_views.track_confirm, name="track_confirm"),
    path("tra-cuu/mo-lai/", public_views.track_reopen, name="track_reopen"),
    path("quay/<str:token>/", public_views.rate, name="rate"),
    path("open311/v2/services.json", open311.service_list, name="open311_services"),
    path("open311/v2/services/<str:code>.json", open311.service_definition, name="open311_service"),
    path("open311/v2/requests.json", open311.requests, name="open311_requests"),
    path("open311/v2/requests/<str:request_id>.json", open311.request_detail, name="open311_request"),
]
