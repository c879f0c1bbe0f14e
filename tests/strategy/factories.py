"""Factories for the strategy tests: a goal, a theme, links."""

from __future__ import annotations

import factory

from gilde.strategy.models import Goal, Theme, ThemeLink


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    title = factory.Sequence(lambda n: f"Doel {n}")
    values = "Samen sterker"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    goal = factory.SubFactory(GoalFactory)
    name = factory.Sequence(lambda n: f"Thema {n}")


class ThemeLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeLink

    theme = factory.SubFactory(ThemeFactory)
    role = "partner"
    importance = 2
