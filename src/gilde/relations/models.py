"""The relation registry: persons, organisations, who works where, and who knows whom."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member
from gilde.core.dates import date_in_range
from gilde.core.text import CleanTextMixin
from gilde.names import PersonName, display_name, fold, name_search_text, search_words, sort_key


class BilingualName:
    """A configurable list entry named in Dutch and English, shown in the interface language."""

    name_nl: str
    name_en: str

    @property
    def label(self) -> str:
        return self.name_nl if (get_language() or "nl").startswith("nl") else self.name_en


class Tier(BilingualName, models.Model):
    """How important a relation is: A key, B regular, C occasional, D de-intensified."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    guideline_percent = models.PositiveSmallIntegerField(_("guideline share (%)"), default=0)
    # Contact rhythm: past the ideal interval a relation is due, past the maximum overdue.
    # Empty means no personal reminders (de-intensified relations).
    ideal_interval_days = models.PositiveSmallIntegerField(
        _("ideal interval (days)"), null=True, blank=True
    )
    max_interval_days = models.PositiveSmallIntegerField(
        _("maximum interval (days)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.label}"


class StakeholderType(BilingualName, models.Model):
    """A configurable kind of stakeholder: client, supplier, government, press…"""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("stakeholder type")
        verbose_name_plural = _("stakeholder types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label


class Tag(CleanTextMixin, models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    # Who made the tag and when: tags are shared by everyone, so each member may add only
    # GILDE_NEW_TAGS_PER_DAY of them a day (empty for tags made before this was recorded).
    created_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(null=True, blank=True, default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    FINANCE = "finance", _("Finance")
    GOVERNMENT = "government", _("Government")
    EDUCATION = "education", _("Education and research")
    HEALTHCARE = "healthcare", _("Healthcare")
    ICT = "ict", _("ICT")
    INDUSTRY = "industry", _("Industry")
    LOGISTICS = "logistics", _("Logistics")
    CONSTRUCTION = "construction", _("Construction and real estate")
    ENERGY = "energy", _("Energy")
    AGRICULTURE = "agriculture", _("Agriculture and food")
    RETAIL = "retail", _("Retail")
    CULTURE = "culture", _("Culture and media")
    LEGAL = "legal", _("Legal and consultancy")
    NONPROFIT = "nonprofit", _("Non-profit")
    OTHER = "other", _("Other")


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    GOVERNMENT = "government", _("Government body")
    FOUNDATION = "foundation", _("Foundation")
    ASSOCIATION = "association", _("Association")
    KNOWLEDGE = "knowledge", _("Knowledge institute")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


class OwnedModel(CleanTextMixin, models.Model):
    """A row that a member owns: networkers edit what they own, network managers edit all."""

    owner = models.ForeignKey(
        Member,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Organisation(OwnedModel):
    name = models.CharField(_("name"), max_length=200)
    sort_name = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.COMPANY
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    website = models.URLField(_("website"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    stakeholder_types = models.ManyToManyField(
        StakeholderType,
        verbose_name=_("stakeholder types"),
        blank=True,
        related_name="organisations",
    )
    tier = models.ForeignKey(
        Tier,
        verbose_name=_("tier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags"), blank=True, related_name="organisations"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    # Optimistic locking, as for persons: a save carries the version it was read at.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["sort_name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation_detail", args=[self.pk])

    def refresh_derived(self) -> None:
        self.sort_name = fold(self.name)[:200]


class OrganisationLinkKind(models.TextChoices):
    SUBSIDIARY = "subsidiary", _("is a subsidiary of")
    PARTNER = "partner", _("is a partner of")
    COMPETITOR = "competitor", _("is a competitor of")
    DISPUTE = "dispute", _("is in dispute with")
    SUPPLIER = "supplier", _("supplies to")
    CLIENT = "client", _("is a client of")
    MEMBER = "member", _("is a member of")


class OrganisationLink(CleanTextMixin, models.Model):
    """A relation between two organisations (subsidiary, competitor, partner…)."""

    source = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationLinkKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("organisation relation")
        verbose_name_plural = _("organisation relations")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="org_link_unique"),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="org_link_not_self"
            ),
        ]


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")
    FRENCH = "fr", _("French")
    OTHER = "other", _("Other")


class Person(OwnedModel):
    """An external relation. Names are kept the Dutch way so they sort and search as people expect."""

    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    tussenvoegsel = models.CharField(_("tussenvoegsel"), max_length=30, blank=True)
    family_name = models.CharField(_("family name"), max_length=150)
    initials = models.CharField(_("initials"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.DUTCH
    )
    birthday = models.DateField(_("birthday"), null=True, blank=True, validators=[date_in_range])
    stakeholder_types = models.ManyToManyField(
        StakeholderType, verbose_name=_("stakeholder types"), blank=True, related_name="persons"
    )
    tier = models.ForeignKey(
        Tier,
        verbose_name=_("tier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="persons",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="persons")
    passions = models.TextField(_("passions"), blank=True, help_text=_("Separate with commas."))
    talents = models.TextField(_("talents"), blank=True, help_text=_("Separate with commas."))
    interests = models.TextField(_("interests"), blank=True, help_text=_("Separate with commas."))
    source = models.CharField(_("source"), max_length=200, blank=True)
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name=_("import batch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="persons",
    )
    # Confidential: visible only to the members named here and to network managers.
    confidential = models.BooleanField(_("confidential"), default=False)
    confidential_members = models.ManyToManyField(
        Member, verbose_name=_("visible to"), blank=True, related_name="confidential_persons"
    )
    # Optimistic locking: a save carries the version it was read at; a stale one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Derived, kept by the services: Dutch sort order and a folded text for search.
    sort_name = models.CharField(max_length=300, db_index=True, editable=False)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["sort_name", "id"]
        indexes = [
            models.Index(fields=["tier", "sort_name"], name="person_tier_sort"),
            # Few persons are confidential; every networker's scope looks exactly those up.
            models.Index(fields=["id"], condition=Q(confidential=True), name="person_confidential"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("person_detail", args=[self.pk])

    @property
    def person_name(self) -> PersonName:
        return PersonName(self.given_name, self.initials, self.tussenvoegsel, self.family_name)

    @property
    def full_name(self) -> str:
        return display_name(self.person_name)

    @property
    def formal_name(self) -> str:
        return display_name(self.person_name, title=self.title)

    @property
    def listed_name(self) -> str:
        """As in a telephone book: "Berg, Jan van der"."""
        first = " ".join(p for p in (self.given_name or self.initials, self.tussenvoegsel) if p)
        return f"{self.family_name}, {first}" if first else self.family_name

    def refresh_names(self) -> None:
        self.sort_name = sort_key(self.person_name)[:300]

    def name_search_text(self) -> str:
        return name_search_text(self.person_name)

    @staticmethod
    def split_list(text: str) -> list[str]:
        return [part.strip() for part in text.split(",") if part.strip()]


class PersonSearchToken(models.Model):
    """One word of a person's search text. Searching words through an index keeps search fast
    at 100,000 relations on every database, where a LIKE over the whole text cannot."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_tokens")
    token = models.CharField(max_length=100)

    class Meta:
        # One index answers "is this word" and "starts with" (PostgreSQL needs the pattern
        # operator class for LIKE 'berg%'; other databases ignore it) and covers the person id,
        # so searches never read the table. More indexes only slow down large imports.
        indexes = [
            models.Index(
                fields=["token", "person"],
                name="person_search_word",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            )
        ]

    def __str__(self) -> str:
        return self.token

    @staticmethod
    def tokens_of(search_text: str) -> set[str]:
        """The words stored for a search text (gilde.names.search_words, cut to the column)."""
        return {word[:100] for word in search_words(search_text)}


class ContactKind(models.TextChoices):
    WORK = "work", _("Work")
    MOBILE = "mobile", _("Mobile")
    HOME = "home", _("Home")
    OTHER = "other", _("Other")


class EmailAddress(CleanTextMixin, models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField(_("e-mail address"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=ContactKind.choices, default=ContactKind.WORK
    )
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("e-mail address")
        verbose_name_plural = _("e-mail addresses")
        ordering = ["-is_primary", "id"]
        indexes = [models.Index(fields=["address"], name="email_address_idx")]

    def __str__(self) -> str:
        return self.address


class PhoneNumber(CleanTextMixin, models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone number"), max_length=40)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ContactKind.choices, default=ContactKind.MOBILE
    )

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number


class PostalAddress(CleanTextMixin, models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True, default="Nederland")
    kind = models.CharField(
        _("kind"), max_length=10, choices=ContactKind.choices, default=ContactKind.WORK
    )

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["id"]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.street, f"{self.postal_code} {self.city}".strip()) if p)


class AffiliationQuerySet(models.QuerySet["Affiliation"]):
    def current(self, on: dt.date | None = None) -> AffiliationQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


class Affiliation(CleanTextMixin, models.Model):
    """A person's role at an organisation, with dates: people change jobs, the history is kept."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role / job title"), max_length=200, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True, validators=[date_in_range])
    end_date = models.DateField(_("until"), null=True, blank=True, validators=[date_in_range])

    objects = AffiliationQuerySet.as_manager()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = [models.F("end_date").desc(nulls_first=True), "-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="affiliation_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.role} @ {self.organisation}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None or self.end_date >= timezone.localdate()


class TieOrigin(models.TextChoices):
    WORK = "work", _("Through work")
    EVENT = "event", _("At an event")
    INTRODUCTION = "introduction", _("Introduced")
    STUDY = "study", _("Study")
    PRIVATE = "private", _("Privately")
    BOARD = "board", _("Board or committee")
    OTHER = "other", _("Other")


class Tie(CleanTextMixin, models.Model):
    """Who knows whom: a member (or another person) knows a person, with a declared strength 1–5."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="ties"
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ties",
    )
    other_person = models.ForeignKey(
        Person,
        verbose_name=_("known by person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ties_as_other",
    )
    strength = models.PositiveSmallIntegerField(
        _("declared strength"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    since = models.DateField(_("since"), null=True, blank=True, validators=[date_in_range])
    how_met = models.CharField(
        _("how they met"), max_length=20, choices=TieOrigin.choices, blank=True
    )
    how_met_note = models.CharField(_("note"), max_length=300, blank=True)
    introduced_by = models.ForeignKey(
        Person,
        verbose_name=_("introduced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="introductions",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tie")
        verbose_name_plural = _("ties")
        ordering = ["-strength", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(other_person__isnull=True))
                | (Q(member__isnull=True) & Q(other_person__isnull=False)),
                name="tie_one_knower",
                violation_error_message=_(
                    "A tie is known by either a member or a person, not both."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(person=models.F("other_person")),
                name="tie_not_self",
                violation_error_message=_("A person cannot be tied to themselves."),
            ),
            models.CheckConstraint(
                condition=Q(strength__gte=1) & Q(strength__lte=5), name="tie_strength_1_5"
            ),
            models.UniqueConstraint(
                fields=["member", "person"],
                name="tie_member_person_unique",
                condition=Q(member__isnull=False),
                violation_error_message=_("This member already has a tie with this person."),
            ),
            models.UniqueConstraint(
                fields=["other_person", "person"],
                name="tie_person_person_unique",
                condition=Q(other_person__isnull=False),
                violation_error_message=_("These two persons already have a tie."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.knower} – {self.person}"

    @property
    def knower(self) -> Member | Person | None:
        return self.member or self.other_person


class Note(CleanTextMixin, models.Model):
    """Free notes about a person or organisation. A private note is seen by its author alone."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    is_private = models.BooleanField(_("private (only you can see it)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organisation__isnull=False),
                name="note_has_subject",
            )
        ]

    def __str__(self) -> str:
        return self.text[:50]
