from django.urls import path

from gilde.privacy import views

urlpatterns = [
    path("privacy/", views.privacy_overview, name="privacy_overview"),
    path("privacy/to-inform/", views.to_inform_list, name="privacy_to_inform"),
    path("privacy/retention/", views.retention_list, name="privacy_retention"),
    path("privacy/erasures/", views.erasure_register, name="privacy_erasures"),
    path("privacy/processing/", views.processing, name="privacy_processing"),
    path("persons/<int:pk>/privacy/", views.person_privacy, name="person_privacy"),
    path(
        "persons/<int:pk>/privacy/withdraw-consent/",
        views.consent_withdraw,
        name="person_consent_withdraw",
    ),
    path("persons/<int:pk>/privacy/informed/", views.person_informed, name="person_informed"),
    path("persons/<int:pk>/privacy/access/", views.access_request, name="person_access_request"),
    path("persons/<int:pk>/privacy/erase/", views.erase, name="person_erase"),
    path(
        "persons/<int:pk>/privacy/retention/",
        views.retention_decide,
        name="person_retention_decide",
    ),
]
