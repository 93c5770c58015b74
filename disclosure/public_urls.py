from django.urls import path

from disclosure import feeds, public_views

app_name = "disclosure_public"
urlpatterns = [
    path("du-lieu-mo/", public_views.open_data, name="open_data"),
    path("du-lieu-mo/cong-khai.csv", public_views.open_data_csv, name="open_data_csv"),
    path("xa/<str:edition>/<str:code>/", public_views.commune_disclosures, name="commune"),
    path("xa/<str:edition>/<str:code>/kiem-tra/", public_views.verify, name="verify"),
    path("xa/<str:edition>/<str:code>/rss/", feeds.CommuneFeed(), name="rss"),
    path("xa/<str:edition>/<str:code>/atom/", feeds.CommuneAtomFeed(), name="atom"),
    path("van-ban/<str:reference>/", public_views.item, name="item"),
    path("van-ban/<str:reference>/tep/", public_views.document, name="document"),
]
