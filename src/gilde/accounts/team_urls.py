"""The team: colleagues, invitations, leaving; password reset and single sign-on."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from gilde.accounts import oidc, team_views
from gilde.accounts.forms import MemberPasswordResetForm

app_name = "accounts"

urlpatterns = [
    path("team/", team_views.team_page, name="team"),
    path("team/invite/", team_views.invite, name="invite"),
    path(
        "team/invitations/<int:pk>/resend/", team_views.invitation_resend, name="invitation_resend"
    ),
    path(
        "team/invitations/<int:pk>/withdraw/",
        team_views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("team/<int:pk>/", team_views.member_edit, name="member_edit"),
    path("team/<int:pk>/leave/", team_views.member_leave, name="member_leave"),
    path("team/<int:pk>/reactivate/", team_views.member_reactivate, name="member_reactivate"),
    path("join/<str:token>/", team_views.invitation_accept, name="invitation_accept"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=MemberPasswordResetForm,
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/email/password_reset.txt",
            html_email_template_name="accounts/email/password_reset.html",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("sso/start/", oidc.SSOStartView.as_view(), name="oidc_start"),
    path("sso/callback/", oidc.SSOCallbackView.as_view(), name="oidc_callback"),
]
