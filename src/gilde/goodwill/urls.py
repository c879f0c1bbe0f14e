from django.urls import path

from gilde.goodwill import views

urlpatterns = [
    path("goodwill/", views.give_back, name="give_back"),
    path(
        "persons/<int:pk>/favours/",
        views.favour_record,
        {"kind": "person"},
        name="favour_record_person",
    ),
    path(
        "organisations/<int:pk>/favours/",
        views.favour_record,
        {"kind": "organisation"},
        name="favour_record_organisation",
    ),
    path("favours/<int:pk>/edit/", views.favour_edit, name="favour_edit"),
    path("favours/<int:pk>/delete/", views.favour_delete, name="favour_delete"),
]
