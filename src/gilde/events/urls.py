from django.urls import include, path

app_name = "events"

urlpatterns = [
    path("", include("gilde.events.guestlist_urls")),
    path("", include("gilde.events.invitation_urls")),
]
