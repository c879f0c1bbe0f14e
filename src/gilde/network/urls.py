from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("network/", views.network_overview, name="overview"),
    path("network/communities/", views.communities_page, name="communities"),
    path("network/variety/", views.variety_page, name="variety"),
    path("network/conflicts/", views.conflicts_page, name="conflicts"),
    path("network/map/", views.map_page, name="map"),
    path("network/export/", views.graph_export, name="export"),
    path("network/introductions/<int:pk>/made/", views.introduction_made, name="introduction_made"),
    path(
        "network/paths/person/<int:pk>/",
        views.warm_paths_panel,
        {"kind": "person"},
        name="person_paths",
    ),
    path(
        "network/paths/organisation/<int:pk>/",
        views.warm_paths_panel,
        {"kind": "organisation"},
        name="organisation_paths",
    ),
    path(
        "network/paths/person/<int:pk>/ask/",
        views.introduction_ask,
        {"kind": "person"},
        name="person_ask",
    ),
    path(
        "network/paths/organisation/<int:pk>/ask/",
        views.introduction_ask,
        {"kind": "organisation"},
        name="organisation_ask",
    ),
]
