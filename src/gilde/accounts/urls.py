from django.urls import path

from gilde.accounts import auth_views, views

urlpatterns = [
    path("members/", views.member_list, name="member_list"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("account/tokens/", views.token_list, name="token_list"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("account/language/", views.language_set, name="language_set"),
    path("account/two-factor/", auth_views.two_factor_setup, name="two_factor_setup"),
]
