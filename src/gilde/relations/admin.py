from django.contrib import admin

from gilde.relations import models


@admin.register(models.Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_nl",
        "name_en",
        "order",
        "guideline_percent",
        "ideal_interval_days",
        "max_interval_days",
    ]
    list_editable = ["ideal_interval_days", "max_interval_days"]


@admin.register(models.StakeholderType)
class StakeholderTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "name_en", "order"]


@admin.register(models.Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
