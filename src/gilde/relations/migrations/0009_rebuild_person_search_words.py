"""Rebuild every person's search text and search words for the forms people type in a hurry
("vd Berg", "J.v.d. Berg", "ijsselmuiden", "thooft", "example.nl"). Derived data only: in batches,
as relations.services.person_search_text and PersonSearchToken.tokens_of derive them for a saved
person (that rule is repeated here because a migration cannot call model methods)."""

from collections import defaultdict

from django.db import migrations
from django.db.models import F, Q
from django.utils import timezone

from gilde.names import PersonName, fold, name_search_text, search_words

BATCH = 2000


def _by_person(rows):
    grouped = defaultdict(list)
    for person_id, value in rows:
        grouped[person_id].append(value)
    return grouped


def _search_text(person, emails, organisations, tags):
    name = PersonName(person.given_name, person.initials, person.tussenvoegsel, person.family_name)
    parts = [
        name_search_text(name),
        *emails,
        *organisations,
        *tags,
        person.passions,
        person.talents,
        person.interests,
    ]
    return f" {fold(' ~ '.join(p for p in parts if p)).replace(',', ' ')} ".replace("  ", " ")


def rebuild_search_words(apps, schema_editor):
    Person = apps.get_model("relations", "Person")
    Token = apps.get_model("relations", "PersonSearchToken")
    EmailAddress = apps.get_model("relations", "EmailAddress")
    Affiliation = apps.get_model("relations", "Affiliation")
    PersonTag = Person.tags.through
    today = timezone.localdate()
    # An erased person keeps an empty search text and no words: they must stay unfindable.
    pks = list(Person.objects.exclude(search_text="").order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        ids = pks[start : start + BATCH]
        persons = list(
            Person.objects.filter(pk__in=ids).only(
                "given_name",
                "initials",
                "tussenvoegsel",
                "family_name",
                "passions",
                "talents",
                "interests",
                "search_text",
            )
        )
        emails = _by_person(
            EmailAddress.objects.filter(person_id__in=ids)
            .order_by("-is_primary", "id")
            .values_list("person_id", "address")
        )
        organisations = _by_person(
            Affiliation.objects.filter(person_id__in=ids)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .order_by(F("end_date").desc(nulls_first=True), "-start_date", "id")
            .values_list("person_id", "organisation__name")
        )
        tags = _by_person(
            PersonTag.objects.filter(person_id__in=ids)
            .order_by("tag__name")
            .values_list("person_id", "tag__name")
        )
        tokens = []
        for person in persons:
            person.search_text = _search_text(
                person, emails[person.pk], organisations[person.pk], tags[person.pk]
            )
            words = {word[:100] for word in search_words(person.search_text)}
            tokens += [Token(person_id=person.pk, token=word) for word in words]
        Person.objects.bulk_update(persons, ["search_text"], batch_size=500)
        Token.objects.filter(person_id__in=ids).delete()
        Token.objects.bulk_create(tokens, batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [
        ("relations", "0008_organisation_version"),
    ]

    operations = [
        migrations.RunPython(rebuild_search_words, migrations.RunPython.noop, elidable=True),
    ]
