"""Forms of the member network's pages; services do the checking that matters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gilde.accounts.models import Member
from gilde.events.models import Event
from gilde.members.models import (
    Application,
    ApplicationKind,
    Aspect,
    ContributionKind,
    CostRule,
    Network,
    NetworkKind,
    Profile,
    ReferralKind,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})
TAG_HELP = _("Separate tags with commas.")


class NetworkKindForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is this installation for?"),
        choices=NetworkKind.choices,
        widget=forms.RadioSelect,
    )


class NetworkGoalForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "goal", "objectives", "expectations", "how_to_join"]
        widgets = dict.fromkeys(["goal", "objectives", "expectations", "how_to_join"], TEXTAREA)


class ProfileForm(forms.ModelForm):
    """The member's own profile; per aspect a line of tags beside the free text."""

    passion_tags = forms.CharField(
        label=_("Passions as tags"), required=False, max_length=1000, help_text=TAG_HELP
    )
    talent_tags = forms.CharField(
        label=_("Talents as tags"), required=False, max_length=1000, help_text=TAG_HELP
    )
    seeks_tags = forms.CharField(
        label=_("What I seek, as tags"), required=False, max_length=1000, help_text=TAG_HELP
    )
    offers_tags = forms.CharField(
        label=_("What I offer, as tags"), required=False, max_length=1000, help_text=TAG_HELP
    )

    TAG_FIELDS = {
        Aspect.PASSION: "passion_tags",
        Aspect.TALENT: "talent_tags",
        Aspect.SEEKS: "seeks_tags",
        Aspect.OFFERS: "offers_tags",
    }

    class Meta:
        model = Profile
        fields = [
            "organisation",
            "work",
            "passions",
            "passion_tags",
            "talents",
            "talent_tags",
            "seeks",
            "seeks_tags",
            "offers",
            "offers_tags",
            "languages",
            "region",
        ]
        widgets = dict.fromkeys(["work", "passions", "talents", "seeks", "offers"], TEXTAREA)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            tags: dict[str, list[str]] = {}
            for tag in self.instance.tags.all():
                tags.setdefault(tag.aspect, []).append(tag.label)
            for aspect, name in self.TAG_FIELDS.items():
                self.fields[name].initial = ", ".join(tags.get(aspect, []))

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if "_tags" not in name}

    def tags(self) -> dict[str, str]:
        return {str(aspect): self.cleaned_data[name] for aspect, name in self.TAG_FIELDS.items()}


class DirectoryForm(forms.Form):
    """Only parses the query string."""

    q = forms.CharField(required=False, max_length=200)
    tag = forms.CharField(required=False, max_length=60)
    aspect = forms.ChoiceField(required=False, choices=[("", "")] + list(Aspect.choices))


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ReferralForm(forms.Form):
    receiver = MemberChoiceField(label=_("Given to"), queryset=Member.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ReferralKind.choices)
    occurred_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    description = forms.CharField(
        label=_("What was it?"),
        required=False,
        max_length=2000,
        widget=TEXTAREA,
        help_text=_("Only you and the receiver see this."),
    )

    def __init__(self, *args: Any, me: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["receiver"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Member.objects.filter(user__is_active=True).exclude(pk=me.pk).select_related("user")
        )
        self.fields["occurred_on"].initial = timezone.localdate()


class ReferralAnswerForm(forms.Form):
    value = forms.DecimalField(
        label=_("Value (EUR)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("What it brought you, if you want to report it."),
    )


class ContributionForm(forms.Form):
    member = MemberChoiceField(
        label=_("Member"), queryset=Member.objects.filter(user__is_active=True)
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ContributionKind.choices)
    occurred_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class ApplicationForm(forms.ModelForm):
    """The public page's form to ask to join or to visit once."""

    consent = forms.BooleanField(
        label=_(
            "I agree that the network keeps these details to handle my request; a request "
            "that is not accepted is erased after half a year."
        ),
        required=False,
    )

    class Meta:
        model = Application
        fields = [
            "kind",
            "event",
            "first_name",
            "last_name",
            "email",
            "organisation",
            "work",
            "motivation",
            "introduced_by_name",
        ]
        widgets = {"kind": forms.RadioSelect, "work": TEXTAREA, "motivation": TEXTAREA}

    def __init__(self, *args: Any, meetings: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        event = self.fields["event"]
        assert isinstance(event, forms.ModelChoiceField)
        event.queryset = Event.objects.filter(pk__in=[m.pk for m in (meetings or [])])
        event.label = _("Which meeting would you like to visit?")
        event.required = False
        self.fields["kind"].initial = ApplicationKind.JOIN


class ApplicationStepForm(forms.Form):
    talk_on = forms.DateField(
        label=_("Introductory talk on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label=_("Note on the decision"), required=False, max_length=300)
    introduced_by = MemberChoiceField(
        label=_("Introduced by"),
        required=False,
        queryset=Member.objects.filter(user__is_active=True).select_related("user"),
    )


class CostRuleForm(forms.Form):
    rule = forms.ChoiceField(label=_("Rule"), choices=CostRule.choices, widget=forms.RadioSelect)
    guest_weight = forms.DecimalField(
        label=_("A guest's share, as a part of a member's"),
        min_value=0,
        max_value=10,
        max_digits=4,
        decimal_places=2,
        initial=1,
        help_text=_("Per kind of attendee: 1 is the same as a member, 0 is free."),
    )


class DropInForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("Members are recognised by their address.")
    )
    hear_more = forms.BooleanField(
        label=_("I would like to hear more about the network"), required=False
    )
    consent = forms.BooleanField(
        label=_(
            "The network may keep my name and address to note my visit (not needed for members)."
        ),
        required=False,
    )


class DropInSeriesForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, initial="Open Coffee")
    first = forms.DateTimeField(
        label=_("First meeting"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    every_days = forms.IntegerField(
        label=_("Every so many days"), min_value=1, max_value=92, initial=28
    )
    count = forms.IntegerField(label=_("How many meetings"), min_value=1, max_value=52, initial=6)
    minutes = forms.IntegerField(label=_("Minutes each"), min_value=15, max_value=720, initial=90)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
