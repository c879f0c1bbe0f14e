from django.urls import path

from gilde.relations import views

urlpatterns = [
    path("persons/", views.person_list, name="person_list"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/delete/", views.person_delete, name="person_delete"),
    path("persons/<int:pk>/photo/", views.person_photo, name="person_photo"),
    path("persons/<int:pk>/affiliations/new/", views.affiliation_form, name="affiliation_create"),
    path(
        "persons/<int:pk>/affiliations/<int:affiliation_pk>/",
        views.affiliation_form,
        name="affiliation_edit",
    ),
    path(
        "persons/<int:pk>/affiliations/<int:affiliation_pk>/delete/",
        views.affiliation_delete,
        name="affiliation_delete",
    ),
    path("persons/<int:pk>/tie/", views.tie_form, name="tie_form"),
    path("persons/<int:pk>/notes/", views.note_create, name="note_create"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_form, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_form, name="organisation_edit"),
    path("organisations/<int:pk>/delete/", views.organisation_delete, name="organisation_delete"),
    path(
        "organisations/<int:pk>/links/new/",
        views.organisation_link_create,
        name="organisation_link_create",
    ),
]
