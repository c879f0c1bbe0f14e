"""The contact-data token and the triggers that change it (see ContactData)."""

from django.db import migrations, models

# Tables whose writes change a member's contact counts, with the columns that matter for an
# update (None: any column).
WATCHED = (
    ("contacts_contactmoment", ("occurred_at",)),
    ("contacts_contactmoment_persons", None),
    ("contacts_contactmoment_members", None),
    ("relations_person", ("confidential", "owner_id")),
    ("relations_person_confidential_members", None),
)


def _postgresql() -> tuple[list[str], list[str]]:
    forward = [
        "CREATE SEQUENCE gilde_contact_data_seq",
        """
        CREATE FUNCTION gilde_contact_data_changed() RETURNS trigger AS $$
        BEGIN
            UPDATE contacts_contactdata SET token = nextval('gilde_contact_data_seq')::text WHERE id = 1;
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """,
    ]
    backward = []
    for table, columns in WATCHED:
        update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
        name = f"gilde_contact_data_{table}"
        forward.append(
            f"CREATE TRIGGER {name} AFTER INSERT OR {update} OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION gilde_contact_data_changed()"
        )
        forward.append(
            f"CREATE TRIGGER {name}_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION gilde_contact_data_changed()"
        )
        backward += [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"DROP TRIGGER IF EXISTS {name}_truncate ON {table}",
        ]
    backward.append("DROP FUNCTION IF EXISTS gilde_contact_data_changed()")
    backward.append("DROP SEQUENCE IF EXISTS gilde_contact_data_seq")
    return forward, backward


def _sqlite() -> tuple[list[str], list[str]]:
    forward, backward = [], []
    change = "UPDATE contacts_contactdata SET token = lower(hex(randomblob(8))) WHERE id = 1;"
    for table, columns in WATCHED:
        for event in ("INSERT", "UPDATE", "DELETE"):
            on = f"UPDATE OF {', '.join(columns)}" if event == "UPDATE" and columns else event
            name = f"gilde_contact_data_{table}_{event.lower()}"
            forward.append(f"CREATE TRIGGER {name} AFTER {on} ON {table} BEGIN {change} END")
            backward.append(f"DROP TRIGGER IF EXISTS {name}")
    return forward, backward


def triggers_create(apps, schema_editor):
    forward, _ = _postgresql() if schema_editor.connection.vendor == "postgresql" else _sqlite()
    apps.get_model("contacts", "ContactData").objects.create(pk=1)
    for statement in forward:
        schema_editor.execute(statement)


def triggers_drop(apps, schema_editor):
    _, backward = _postgresql() if schema_editor.connection.vendor == "postgresql" else _sqlite()
    for statement in backward:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0004_dates_in_range"),
        ("relations", "0012_tag_made_by"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContactData",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(default="", max_length=40)),
            ],
            options={"default_permissions": ()},
        ),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
