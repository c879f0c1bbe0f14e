from django.urls import path

from gilde.contacts import views

urlpatterns = [
    path("persons/<int:pk>/log/", views.quick_log, name="quick_log"),
    path("contacts/<int:pk>/", views.contact_moment_detail, name="contact_moment_detail"),
    path("contacts/<int:pk>/edit/", views.contact_moment_edit, name="contact_moment_edit"),
    path("contacts/<int:pk>/delete/", views.contact_moment_delete, name="contact_moment_delete"),
    path("contacts/<int:pk>/persons/add/", views.participant_add, name="participant_add"),
    path(
        "contacts/<int:pk>/persons/<int:person_pk>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
    path("signals/", views.signal_list, name="signal_list"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
]
