from django.urls import URLPattern, path

from gilde.strategy import views

app_name = "strategy"

urlpatterns: list[URLPattern] = [
    path("", views.overview, name="overview"),
    path("goals/new/", views.goal_form, name="goal_new"),
    path("goals/<int:pk>/", views.goal_form, name="goal_edit"),
    path("goals/<int:pk>/delete/", views.goal_delete, name="goal_delete"),
    path("themes/new/", views.theme_form, name="theme_new"),
    path("themes/<int:pk>/", views.theme_detail, name="theme"),
    path("themes/<int:pk>/edit/", views.theme_form, name="theme_edit"),
    path("themes/<int:pk>/delete/", views.theme_delete, name="theme_delete"),
    path("coverage/", views.heatmap, name="heatmap"),
    path("persons/<int:pk>/themes/", views.subject_link, {"kind": "person"}, name="person_link"),
    path(
        "organisations/<int:pk>/themes/",
        views.subject_link,
        {"kind": "organisation"},
        name="organisation_link",
    ),
    path("links/<int:pk>/remove/", views.link_remove, name="link_remove"),
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.plan_form, name="plan_new"),
    path("plans/<int:pk>/", views.plan_form, name="plan_edit"),
    path("plans/<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("plans/differences/", views.differences, name="differences"),
    path("persons/<int:pk>/occasions/", views.occasion_add, name="occasion_add"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/figures.csv", views.report_export, {"format": "csv"}, name="report_csv"),
    path(
        "reports/<int:pk>/figures.xlsx", views.report_export, {"format": "xlsx"}, name="report_xlsx"
    ),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("subscriptions/<int:pk>/delete/", views.subscription_delete, name="subscription_delete"),
]
