from django.urls import URLPattern, URLResolver, path

from gilde.events import invitation_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("events/<int:pk>/invitations/", views.invitations_page, name="invitations"),
    path(
        "events/<int:pk>/invitations/text/",
        views.invitation_template_view,
        name="invitation_template",
    ),
    path(
        "events/<int:pk>/invitations/preview/", views.invitation_preview, name="invitation_preview"
    ),
    path("events/<int:pk>/invitations/send/", views.invitations_send_view, name="invitations_send"),
    path("events/<int:pk>/invitations/resend/", views.mails_resend_view, name="mails_resend"),
    path(
        "events/<int:pk>/invitations/progress/",
        views.invitations_progress,
        name="invitations_progress",
    ),
    path("events/<int:pk>/check-in/", views.checkin_page, name="checkin"),
    path("events/<int:pk>/check-in/search/", views.checkin_search_view, name="checkin_search"),
    path("events/<int:pk>/check-in/code/", views.checkin_code_view, name="checkin_code"),
    path("events/<int:pk>/check-in/count/", views.checkin_count_view, name="checkin_count"),
    path("events/<int:pk>/check-in/walk-in/", views.walk_in_view, name="walk_in"),
    path(
        "events/<int:pk>/check-in/walk-in/<int:person_pk>/",
        views.walk_in_known_view,
        name="walk_in_known",
    ),
    path("events/<int:pk>/check-in/<int:guest_pk>/", views.checkin_view, name="checkin_guest"),
    path(
        "events/<int:pk>/check-in/<int:guest_pk>/companion/",
        views.companion_register_view,
        name="companion_register",
    ),
    path(
        "events/<int:pk>/check-in/<int:guest_pk>/undo/",
        views.checkin_undo_view,
        name="checkin_undo",
    ),
    path("events/<int:pk>/badges.pdf", views.badges_view, name="badges"),
    path("events/<int:pk>/guest-list.pdf", views.guest_list_pdf_view, name="guest_list_pdf"),
    # The one public page: the guest's own answer, through their signed link.
    path("rsvp/<str:key>/", views.rsvp_page, name="rsvp"),
]
