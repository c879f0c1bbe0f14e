"""The configurable lists start with the tiers and stakeholder types of Dutch practice."""

from django.db import migrations

TIERS = [
    ("A", "Sleutelrelatie", "Key relation", 1, 10),
    ("B", "Reguliere relatie", "Regular relation", 2, 35),
    ("C", "Incidentele relatie", "Occasional relation", 3, 15),
    ("D", "Gedesintensiveerd", "De-intensified", 4, 40),
]
STAKEHOLDER_TYPES = [
    ("client", "Klant", "Client"),
    ("prospect", "Prospect", "Prospect"),
    ("supplier", "Leverancier", "Supplier"),
    ("partner", "Partner", "Partner"),
    ("government", "Overheid", "Government"),
    ("press", "Pers", "Press"),
    ("knowledge-institute", "Kennisinstelling", "Knowledge institute"),
    ("investor", "Investeerder", "Investor"),
    ("competitor", "Concurrent", "Competitor"),
    ("interest-group", "Belangenorganisatie", "Interest group"),
    ("member", "Lid", "Member"),
    ("other", "Overig", "Other"),
]


def create(apps, schema_editor):
    Tier = apps.get_model("relations", "Tier")
    StakeholderType = apps.get_model("relations", "StakeholderType")
    for code, nl, en, order, share in TIERS:
        Tier.objects.get_or_create(
            code=code,
            defaults={"name_nl": nl, "name_en": en, "order": order, "guideline_percent": share},
        )
    for order, (code, nl, en) in enumerate(STAKEHOLDER_TYPES):
        StakeholderType.objects.get_or_create(
            code=code, defaults={"name_nl": nl, "name_en": en, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("relations", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
