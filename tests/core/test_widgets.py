"""The checklist widget renders long colleague lists in one pass, escaped, with the choices ticked."""

from __future__ import annotations

from django import forms

from gilde.core.widgets import ChecklistWidget


class ColleagueForm(forms.Form):
    colleagues = forms.MultipleChoiceField(
        choices=[("1", "Anne <b>de</b> Wit"), ("2", "Piet Jansen")], widget=ChecklistWidget
    )


def test_ticked_colleagues_render_checked_and_names_escaped() -> None:
    html = str(ColleagueForm(initial={"colleagues": ["2"]})["colleagues"])

    assert '<input type="checkbox" name="colleagues" value="2" checked>' in html
    assert '<input type="checkbox" name="colleagues" value="1">' in html
    assert "Anne &lt;b&gt;de&lt;/b&gt; Wit" in html


def test_the_posted_ticks_are_read_back() -> None:
    form = ColleagueForm(data={"colleagues": ["1", "2"]})

    assert form.is_valid()
    assert form.cleaned_data["colleagues"] == ["1", "2"]
