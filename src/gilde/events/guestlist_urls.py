from django.urls import URLPattern, URLResolver, path

from gilde.events import guestlist_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("events/introductions/", views.introductions, name="introductions"),
    path("events/introductions/<int:pk>/met/", views.introduction_met, name="introduction_met"),
    path("events/<int:pk>/guests/", views.guests, name="guests"),
    path("events/<int:pk>/guests/suggestions/", views.guest_suggestions, name="guest_suggestions"),
    path("events/<int:pk>/guests/find/", views.guest_candidates, name="guest_candidates"),
    path("events/<int:pk>/guests/add/", views.guest_add, name="guest_add"),
    path("events/<int:pk>/guests/dismiss/", views.guest_dismiss, name="guest_dismiss"),
    path("events/<int:pk>/guests/hosts/", views.guest_host_add, name="guest_host_add"),
    path("events/<int:pk>/guests/conflicts/", views.conflict_add, name="guest_conflict_add"),
    path("events/<int:pk>/guests/<int:guest_pk>/remove/", views.guest_remove, name="guest_remove"),
    path("events/<int:pk>/guests/<int:guest_pk>/host/", views.guest_host_set, name="guest_host"),
]
