from django.urls import path

from gilde.members import views, views_costs

app_name = "members"

urlpatterns = [
    path("setup/network-kind/", views.setup, name="setup"),
    path("goal/", views.goal, name="goal"),
    path("goal/edit/", views.goal_edit, name="goal_edit"),
    path("apply/", views.join, name="join"),
    path("apply/thanks/", views.join_thanks, name="join_thanks"),
    path("members/directory/", views.directory, name="directory"),
    path("members/help/", views.helpers, name="helpers"),
    path("members/profile/", views.profile_edit, name="profile_edit"),
    path("members/<int:pk>/profile/", views.profile, name="profile"),
    path("members/<int:pk>/tie/", views.tie_add, name="tie_add"),
    path("members/<int:pk>/tie/remove/", views.tie_remove, name="tie_remove"),
    path("members/referrals/", views.referrals, name="referrals"),
    path(
        "members/referrals/<int:pk>/confirm/",
        views.referral_answer,
        {"confirmed": True},
        name="referral_confirm",
    ),
    path(
        "members/referrals/<int:pk>/decline/",
        views.referral_answer,
        {"confirmed": False},
        name="referral_decline",
    ),
    path("members/flow/", views.flow, name="flow"),
    path("members/commitment/", views.commitment, name="commitment"),
    path("members/commitment/all/", views.commitment_overview, name="commitment_overview"),
    path("members/contributions/", views.contribution_add, name="contribution_add"),
    path("members/applications/", views.applications, name="applications"),
    path("members/applications/<int:pk>/", views.application, name="application"),
    path(
        "members/applications/<int:pk>/introducer/",
        views.application_introducer,
        name="application_introducer",
    ),
    path("members/applications/<int:pk>/step/", views.application_step, name="application_step"),
    path("events/<int:pk>/cost-statement/", views_costs.cost_statement, name="cost_statement"),
    path("events/<int:pk>/cost-statement/publish/", views_costs.cost_publish, name="cost_publish"),
    path("members/cost-shares/<int:pk>/paid/", views_costs.cost_share_paid, name="cost_share_paid"),
    path("members/costs/", views_costs.my_costs, name="my_costs"),
    path("members/year/", views_costs.year_statement, name="year"),
    path("members/year/export/", views_costs.year_export, name="year_export"),
    path("members/fees/", views_costs.fees_set, name="fees_set"),
    path("members/fees/<int:pk>/paid/", views_costs.fee_paid, name="fee_paid"),
    path("members/drop-in/", views_costs.drop_ins, name="drop_ins"),
    path("members/drop-in/plan/", views_costs.drop_in_plan, name="drop_in_plan"),
    path("members/drop-in/<int:pk>/door/", views_costs.drop_in_door, name="drop_in_door"),
    path("drop-in/<str:key>/", views_costs.drop_in, name="drop_in"),
]
