from django.urls import URLPattern, URLResolver, path

from gilde.events import views_results as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("events/<int:pk>/briefing/", views.briefing_page, name="briefing"),
    path("events/<int:pk>/briefing.pdf", views.briefing_pdf_view, name="briefing_pdf"),
    path("events/<int:pk>/briefing/send/", views.briefing_send_view, name="briefing_send"),
    path("events/<int:pk>/met/", views.meetings_page, name="met"),
    path("events/<int:pk>/met/<int:goal_pk>/", views.meeting_log_view, name="met_log"),
    path("events/<int:pk>/report/", views.report_page, name="report"),
    path("events/results/", views.trend_page, name="results_trend"),
    # Public: the guest's survey through their signed link.
    path("survey/<str:key>/", views.survey_page, name="survey"),
]
