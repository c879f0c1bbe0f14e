from django.urls import include, path

from gilde.events import views

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events/new/", views.event_create, name="create"),
    path("events/<int:pk>/", views.event_detail, name="detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="edit"),
    path("events/<int:pk>/delete/", views.event_delete, name="delete"),
    path("events/<int:pk>/programme/", views.programme_item_add, name="programme_add"),
    path(
        "events/<int:pk>/programme/<int:item_pk>/delete/",
        views.programme_item_delete,
        name="programme_delete",
    ),
    path("events/<int:pk>/costs/", views.cost_item_add, name="cost_add"),
    path("events/<int:pk>/costs/<int:item_pk>/delete/", views.cost_item_delete, name="cost_delete"),
    path("events/<int:pk>/attendance/", views.event_attendance, name="attendance"),
    path("", include("gilde.events.guestlist_urls")),
    path("", include("gilde.events.invitation_urls")),
]
urlpatterns.append(path("", include("gilde.events.results_urls")))

# Directed meetings: goals and hosts, and the seating plan.
urlpatterns += [
    path("", include("gilde.events.meeting_urls")),
    path("", include("gilde.events.seating_urls")),
]
