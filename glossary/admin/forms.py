"""The draft's forms: its texts with the Traditional suggestions, and its terms, citations and relations."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from glossary.admin.suggestions import (
    SUGGESTION_REGIONS,
    draft_terms,
    regional_term,
    simplified_field,
    suggest_traditional,
    suggestion_region,
    traditional_suggestions,
)
from glossary.core import services
from glossary.core.choices import Agreement, Language, Maturity, VersionState
from glossary.core.fields import traditional_field_names
from glossary.core.models import (
    ConceptVersion,
    Domain,
)
from glossary.core.services import TermData
from glossary.core.workflow import USAGE_FIELDS, missing_usage

#: The name of the draft form's own "Submit for review" button: the form is saved, then submitted.
SUBMIT_BUTTON = "_submit_for_review"
#: The name of the buttons that take a suggested Traditional term into the draft ("text|status").
SUGGESTION_FIELD = "_take_suggestion"


class ReviewedCheckbox(forms.CheckboxInput):
    """The "reviewed" box of a machine-converted term, saying what it confirms."""

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        return format_html(
            '<span class="machine-converted">{}<br><label>{} {}</label></span>',
            gettext("Machine-converted, not reviewed."),
            box,
            gettext("Reviewed"),
        )


class NothingToReview(forms.CheckboxInput):
    """The "reviewed" cell of a row with no machine-made text: empty, but the column stays."""

    def render(self, name, value, attrs=None, renderer=None):
        return ""


class TermFormSet(BaseInlineFormSet):
    """Checks the invariants across all of a draft's terms, so errors show beside the input.

    Suggested Traditional terms are not rows of it: the draft page lists each beside the
    Simplified term it comes from, and an editor takes one with its own button (SUGGESTION_FIELD).
    """

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if (
            self.is_bound
            or index is None
            or index >= self.initial_form_count()
            or self.instance.state != VersionState.DRAFT
        ):
            return kwargs
        term = self.get_queryset()[index]
        if term.machine_converted:
            # Still unreviewed: offered in the wording of the region it is marked as used in.
            regional = regional_term(self.instance, term)
            if regional:
                kwargs["initial"] = {"text": regional, "suggested": regional}
        return kwargs

    def clean(self):
        super().clean()
        terms = [
            TermData(
                language=f.cleaned_data["language"],
                text=f.cleaned_data["text"],
                status=f.cleaned_data["status"],
            )
            for f in self.forms
            # A row with its own errors (a refused character, an empty term) shows them itself.
            if f.cleaned_data and not f.errors and not f.cleaned_data.get("DELETE")
        ]
        problems = services.term_problems(terms)
        if problems:
            raise ValidationError(problems)


class ChildForm(forms.ModelForm):
    """Inline rows are checked together by the formset and saved by the service."""

    def validate_unique(self):
        # Constraints are checked across the whole formset (a term may swap status with another
        # in the same save, which row-by-row checks against the stored rows would refuse).
        return


class TermForm(ChildForm):
    """A term row. ``suggested`` carries the machine-converted text the row was offered with."""

    suggested = forms.CharField(required=False, widget=forms.HiddenInput)
    reviewed = forms.BooleanField(
        label=_("reviewed"),
        required=False,
        widget=ReviewedCheckbox,
        help_text=_("Tick when a linguist has checked a machine-converted Traditional term."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk and self.instance.machine_converted:
            self.initial.setdefault("suggested", self.instance.text)
        if not (self["suggested"].value() or ""):
            # Nothing machine-made in this row: nothing to confirm.
            self.fields["reviewed"].widget = NothingToReview()

    def has_changed(self):
        # An offered suggestion whose text the editor emptied is declined, not a broken row.
        if (
            not self.instance.pk
            and self["suggested"].value()
            and not (self["text"].value() or "").strip()
        ):
            return False
        return super().has_changed()

    def clean(self):
        cleaned = super().clean()
        suggested = " ".join((cleaned.get("suggested") or "").split())
        text = " ".join((cleaned.get("text") or "").split())
        # Unreviewed until someone edits the text or ticks "reviewed".
        cleaned["machine_converted"] = bool(
            suggested
            and text == suggested
            and cleaned.get("language") == Language.ZH_HANT
            and not cleaned.get("reviewed")
        )
        return cleaned


#: The longest text the suggestion endpoint converts (a definition is far shorter).
SUGGESTION_MAX_LENGTH = 20_000


def _reviewed_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("Traditional Chinese text reviewed"),
        required=False,
        help_text=_(
            "Machine-converted from the Simplified text (OpenCC), not reviewed yet. Tick to "
            "confirm it as it stands, or edit it."
        ),
    )


class VersionForm(forms.ModelForm):
    loaded_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    domain_choices = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("subject field", "domains"),
        queryset=Domain.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # "reviewed_" + each name in traditional_field_names(); the admin shows the boxes
    # of the fields that hold a machine-converted text (see traditional_suggestions).
    reviewed_definition_zh_hant = _reviewed_field()
    reviewed_us_usage_zh_hant = _reviewed_field()
    reviewed_cn_usage_zh_hant = _reviewed_field()
    reviewed_agreement_note_zh_hant = _reviewed_field()
    reviewed_note_zh_hant = _reviewed_field()
    change_note = forms.CharField(
        label=_("Why this version"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Asked when you submit: what this version changes and why. Reviewers read it first."
        ),
    )

    class Meta:
        model = ConceptVersion
        fields = [
            "definition",
            "us_usage",
            "cn_usage",
            "agreement",
            "agreement_note",
            "note",
            "maturity",
            "first_attested",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "loaded_revision" in self.fields:
            self.fields["loaded_revision"].initial = self.instance.revision
            self.fields["domain_choices"].initial = list(self.instance.domains.all())
        editable = self.instance.pk and self.instance.state == VersionState.DRAFT
        suggestions = traditional_suggestions(self.instance) if editable else {}
        for name, suggestion in suggestions.items():
            if name not in self.fields:
                continue
            if not self.is_bound:
                self.initial[name] = suggestion
            self.fields[name].widget.attrs["data-machine-converted"] = suggestion
        region = suggestion_region(draft_terms(self.instance)) if editable else "tw"
        for name in traditional_field_names():
            simplified = simplified_field(name)
            if editable and name in self.fields and simplified in self.fields:
                # For glossary/traditional.js: where this Simplified field's suggestion goes,
                # and in which region's wording.
                self.fields[simplified].widget.attrs["data-traditional-field"] = f"id_{name}"
                self.fields[simplified].widget.attrs["data-traditional-region"] = region

    def clean(self):
        cleaned = super().clean()
        stored = (
            ConceptVersion.objects.filter(pk=self.instance.pk)
            .values_list("state", "revision")
            .first()
        )
        if stored and stored[0] != VersionState.DRAFT:
            raise ValidationError(gettext("This version is no longer a draft; nothing was saved."))
        loaded = cleaned.get("loaded_revision")
        if stored and loaded is not None and loaded != stored[1]:
            raise ValidationError(
                gettext(
                    "Someone else saved this draft after you opened it (revision %(theirs)d, "
                    "you loaded %(yours)d). Nothing was saved: copy your changes, reload the "
                    "draft and make them again."
                )
                % {"theirs": stored[1], "yours": loaded}
            )
        self.machine_converted_fields = self._machine_converted(cleaned)
        if SUBMIT_BUTTON in self.data:
            self._check_submission(cleaned)
        return cleaned

    def _check_submission(self, cleaned: dict) -> None:
        """What submitting asks for beyond a save, shown beside the fields (nothing is saved)."""
        if not (cleaned.get("change_note") or "").strip():
            self.add_error(
                "change_note", gettext("Say what this version changes and why before you submit.")
            )
        if cleaned.get("agreement") == Agreement.NOT_ASSESSED:
            self.add_error(
                "agreement",
                gettext("Say whether the two sides agree before you submit: choose a state."),
            )
        if cleaned.get("maturity") == Maturity.NOT_ASSESSED:
            self.add_error(
                "maturity", gettext("Say whether the term is provisional or established.")
            )
        if cleaned.get("agreement") in (Agreement.PARTLY, Agreement.DIVERGENT):
            for side, needed in missing_usage(cleaned).items():
                target = next((name for name in USAGE_FIELDS[side] if name in self.fields), None)
                self.add_error(
                    target,
                    gettext("The sides do not fully agree, so submitting needs %(what)s.")
                    % {"what": needed},
                )

    def _machine_converted(self, cleaned: dict) -> list[str]:
        """The zh-Hant fields that still hold an unreviewed machine conversion after this save."""
        flagged_before = set(self.instance.machine_converted_fields or [])
        names = []
        for name in traditional_field_names():
            if name not in cleaned or cleaned.get(f"reviewed_{name}"):
                continue
            value = (cleaned.get(name) or "").strip()
            stored = (getattr(self.instance, name) or "").strip()
            # A linguist's own text (stored and not flagged) is never re-marked.
            if not value or (stored and name not in flagged_before):
                continue
            simplified = cleaned.get(simplified_field(name)) or ""
            if not simplified.strip() and name in flagged_before and value == stored:
                # Its Simplified source was emptied: an unreviewed conversion of it goes too.
                cleaned[name] = ""
                continue
            # Either region's conversion is machine text (the region may change in this save).
            untouched = value in {suggest_traditional(simplified, r) for r in SUGGESTION_REGIONS}
            if untouched or (name in flagged_before and value == stored):
                names.append(name)
        return names
