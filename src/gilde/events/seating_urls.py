from django.urls import URLPattern, URLResolver, path

from gilde.events import views_seating as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("events/<int:pk>/seating/", views.seating_page, name="seating"),
    path("events/<int:pk>/seating/setup/", views.setup_save, name="seating_setup"),
    path("events/<int:pk>/seating/tables/", views.tables_add, name="seating_tables_add"),
    path(
        "events/<int:pk>/seating/tables/<int:table_pk>/", views.table_update, name="seating_table"
    ),
    path(
        "events/<int:pk>/seating/tables/<int:table_pk>/delete/",
        views.table_delete,
        name="seating_table_delete",
    ),
    path("events/<int:pk>/seating/make/", views.plan_make, name="seating_make"),
    path("events/<int:pk>/seating/status/", views.plan_status, name="seating_status"),
    path("events/<int:pk>/seating/save/", views.plan_save, name="seating_save"),
    path("events/<int:pk>/seating/why/", views.plan_why, name="seating_why"),
    path("events/<int:pk>/seating/print/<slug:what>.pdf", views.plan_pdf, name="seating_pdf"),
]
