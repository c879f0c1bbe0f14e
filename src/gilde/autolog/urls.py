from django.urls import path

from . import views

app_name = "autolog"

urlpatterns = [
    path("me/mail-and-calendar/", views.settings_page, name="settings"),
    path("me/mail-and-calendar/connect/", views.connect, name="connect"),
    path("me/mail-and-calendar/oauth/start/", views.oauth_start, name="oauth_start"),
    path("me/mail-and-calendar/oauth/return/", views.oauth_return, name="oauth_return"),
    path("me/mail-and-calendar/<int:pk>/renew/", views.connection_renew, name="renew"),
    path("me/mail-and-calendar/<int:pk>/read/", views.connection_read_now, name="read_now"),
    path("me/mail-and-calendar/<int:pk>/disconnect/", views.disconnect, name="disconnect"),
    path("me/mail-and-calendar/rules/", views.never_add, name="never_add"),
    path("me/mail-and-calendar/rules/<int:pk>/remove/", views.never_remove, name="never_remove"),
    path("review/", views.review, name="review"),
    path("review/<int:pk>/keep/", views.entry_keep, name="keep"),
    path("review/<int:pk>/discard/", views.entry_discard, name="discard"),
    path("review/<int:pk>/ignore/", views.address_ignore, name="ignore"),
    path("review/<int:pk>/resolve/", views.address_resolve, name="resolve"),
]
