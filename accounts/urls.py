from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("tai-khoan/dang-nhap/", views.LoginView.as_view(), name="login"),
    path("tai-khoan/dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/xac-thuc/", views.otp_verify, name="otp"),
    path("tai-khoan/xac-thuc/thiet-lap/", views.otp_setup, name="otp_setup"),
    path("staff/", views.home, name="home"),
    path("staff/nhat-ky/", views.audit_list, name="audit"),
]
