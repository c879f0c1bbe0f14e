from django.urls import path

from gilde.audit import views

urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
]
