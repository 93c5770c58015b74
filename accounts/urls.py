from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import admin_views, password_views, views

app_name = "accounts"
urlpatterns = [
    path("tai-khoan/dang-nhap/", views.LoginView.as_view(), name="login"),
    path("tai-khoan/dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/doi-mat-khau/", password_views.PasswordChangeView.as_view(), name="password_change"),
    path("tai-khoan/doi-mat-khau/xong/", password_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("tai-khoan/quen-mat-khau/", password_views.PasswordResetView.as_view(), name="password_reset"),
    path("tai-khoan/quen-mat-khau/da-gui/", password_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("tai-khoan/dat-lai-mat-khau/<uidb64>/<token>/", password_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("tai-khoan/dat-lai-mat-khau/xong/", password_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("tai-khoan/xac-thuc/", views.otp_verify, name="otp"),
    path("tai-khoan/xac-thuc/thiet-lap/", views.otp_setup, name="otp_setup"),
    path("tai-khoan/xac-thuc/kich-hoat/<str:token>/", views.enrol, name="enrol"),
    path("staff/", views.home, name="home"),
    path("staff/nhat-ky/", views.audit_list, name="audit"),
    path("staff/tai-khoan/", admin_views.user_list, name="users"),
    path("staff/tai-khoan/them/", admin_views.user_create, name="user_create"),
    path("staff/tai-khoan/<int:pk>/", admin_views.user_detail, name="user"),
    path("staff/tai-khoan/<int:pk>/khoa/", admin_views.user_set_active, name="user_set_active"),
    path("staff/tai-khoan/<int:pk>/dat-lai-2fa/", admin_views.user_reset_2fa, name="user_reset_2fa"),
    path("staff/tai-khoan/<int:pk>/duong-dan-2fa/", admin_views.user_enrolment_link, name="user_enrolment_link"),
    path("staff/phan-quyen/<int:pk>/thu-hoi/", admin_views.role_revoke, name="role_revoke"),
    path("staff/khoa-api/", admin_views.token_list, name="tokens"),
    path("staff/khoa-api/<int:pk>/thu-hoi/", admin_views.token_revoke, name="token_revoke"),
    path("staff/lich-lam-viec/", admin_views.calendar, name="calendar"),
    path("staff/lich-lam-viec/<int:pk>/xoa/", admin_views.calendar_remove, name="calendar_remove"),
]
