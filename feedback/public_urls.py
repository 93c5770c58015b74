from django.urls import path, re_path

from feedback import open311, public_views

app_name = "feedback_public"
urlpatterns = [
    path("", public_views.submit, name="submit"),
    path("tim-xa/", public_views.unit_search, name="unit_search"),
    path("xa-theo-tinh/", public_views.commune_options, name="commune_options"),
    path("tra-cuu/", public_views.track, name="track"),
    path("tra-cuu/bo-sung/", public_views.track_add_info, name="track_add_info"),
    path("tra-cuu/xac-nhan/", public_views.track_confirm, name="track_confirm"),
    path("tra-cuu/mo-lai/", public_views.track_reopen, name="track_reopen"),
    path("quay/<str:token>/", public_views.rate, name="rate"),
    re_path(r"^open311/v2/discovery\.(?P<fmt>json|xml)$", open311.discovery, name="open311_discovery"),
    re_path(r"^open311/v2/services\.(?P<fmt>json|xml)$", open311.service_list, name="open311_services"),
    re_path(r"^open311/v2/services/(?P<code>[^/]+)\.(?P<fmt>json|xml)$", open311.service_definition, name="open311_service"),
    re_path(r"^open311/v2/requests\.(?P<fmt>json|xml)$", open311.requests, name="open311_requests"),
    re_path(r"^open311/v2/requests/(?P<request_id>[^/]+)\.(?P<fmt>json|xml)$", open311.request_detail, name="open311_request"),
    re_path(r"^open311/(?P<rest>.*)$", open311.not_found),
]
