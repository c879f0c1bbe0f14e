from django.urls import path

from . import job_views

urlpatterns = [
    path("jobs/", job_views.job_list, name="job_list"),
    path("jobs/<int:pk>/retry/", job_views.job_retry_view, name="job_retry"),
]
