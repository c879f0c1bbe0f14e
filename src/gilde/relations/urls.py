from django.urls import path

from gilde.relations import views

urlpatterns = [
    path("persons/", views.person_list, name="person_list"),
    path("persons/search/", views.person_search, name="person_search"),
    path("persons/address-row/", views.person_address_row, name="person_address_row"),
    path("persons/possible-duplicates/", views.person_duplicates, name="person_duplicates"),
    path(
        "organisations/quick-create/",
        views.organisation_quick_create,
        name="organisation_quick_create",
    ),
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
    path("persons/<int:pk>/ties/new/", views.person_tie_create, name="person_tie_create"),
    path(
        "persons/<int:pk>/ties/<int:tie_pk>/delete/",
        views.person_tie_delete,
        name="person_tie_delete",
    ),
    path("persons/<int:pk>/notes/", views.note_create, name="note_create"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/search/", views.organisation_search, name="organisation_search"),
    path("organisations/new/", views.organisation_form, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_form, name="organisation_edit"),
    path("organisations/<int:pk>/delete/", views.organisation_delete, name="organisation_delete"),
    path(
        "organisations/<int:pk>/links/new/",
        views.organisation_link_create,
        name="organisation_link_create",
    ),
    path(
        "organisations/<int:pk>/links/<int:link_pk>/",
        views.organisation_link_edit,
        name="organisation_link_edit",
    ),
    path(
        "organisations/<int:pk>/links/<int:link_pk>/delete/",
        views.organisation_link_delete,
        name="organisation_link_delete",
    ),
]
