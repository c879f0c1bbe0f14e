from django.urls import URLPattern, URLResolver, path

from gilde.events import views_meetings as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("events/<int:pk>/meetings/", views.meetings_page, name="meetings"),
    path("events/<int:pk>/meetings/add/", views.goal_add, name="meeting_add"),
    path(
        "events/<int:pk>/meetings/requests/",
        views.goals_from_requests,
        name="meeting_from_requests",
    ),
    path("events/<int:pk>/meetings/rsvp/", views.goals_from_rsvp, name="meeting_from_rsvp"),
    path(
        "events/<int:pk>/meetings/suggestions/", views.goal_suggestions, name="meeting_suggestions"
    ),
    path(
        "events/<int:pk>/meetings/suggestions/accept/",
        views.goal_suggestion_accept,
        name="meeting_suggestion_accept",
    ),
    path(
        "events/<int:pk>/meetings/<int:goal_pk>/priority/",
        views.goal_priority,
        name="meeting_priority",
    ),
    path(
        "events/<int:pk>/meetings/<int:goal_pk>/delete/", views.goal_delete, name="meeting_delete"
    ),
    path("events/<int:pk>/hosts/assign/", views.hosts_assign, name="hosts_assign"),
    path("events/<int:pk>/hosts/<int:guest_pk>/", views.host_set, name="meeting_host"),
]
