from django.urls import URLPattern, path

from gilde.maintenance import views

urlpatterns: list[URLPattern] = [
    path("due/", views.due_list, name="maintenance_due"),
    path("due/<int:pk>/log/", views.due_log, name="maintenance_due_log"),
    path("due/<int:pk>/snooze/", views.snooze, name="maintenance_snooze"),
    path("due/<int:pk>/hand-over/", views.hand_over, name="maintenance_hand_over"),
    path("persons/<int:pk>/rhythm/", views.rhythm, name="maintenance_rhythm"),
    path("going-cold/", views.going_cold, name="maintenance_going_cold"),
    path("follow-ups/", views.follow_ups, name="maintenance_follow_ups"),
    path("tier-review/", views.tier_review, name="maintenance_tier_review"),
    path("tier-review/action/", views.tier_review_action, name="maintenance_tier_review_action"),
    path("reminders/", views.reminder_settings, name="maintenance_settings"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="maintenance_calendar_feed"),
]
