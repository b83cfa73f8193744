"""The term check page's file upload form, and the limits it states."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from glossary.termcheck import engine, files

#: "" takes the language the file states.
FROM_FILE = ""
LANGUAGE_CHOICES = [
    (FROM_FILE, _("As the file states")),
    ("en", _("English")),
    ("zh-Hans", _("Simplified Chinese")),
    ("zh-Hant", _("Traditional Chinese")),
]


class FileCheckForm(forms.Form):
    file = forms.FileField(
        label=_("Bilingual file"),
        error_messages={"required": _("Choose the file to check.")},
        help_text=_(
            "XLIFF (.xlf, .xliff), TMX, PO, or CSV or XLSX with the source and the translation "
            "in two columns (named source and target in the first row, or the first two)."
        ),
    )
    source_language = forms.ChoiceField(
        label=_("Source language"), choices=LANGUAGE_CHOICES, required=False
    )
    target_language = forms.ChoiceField(
        label=_("Target language"), choices=LANGUAGE_CHOICES, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ",".join(
            f".{extension}" for extension in files.EXTENSIONS if extension != "txt"
        )


def limits_context() -> dict[str, str]:
    """The limits of a file check, written for the page."""
    return {
        "file_max_mb": number_format(files.max_bytes() / 1048576, decimal_pos=0),
        "file_max_segments": number_format(files.max_segments(), force_grouping=True),
        "max_length": number_format(engine.MAX_TEXT_LENGTH, force_grouping=True),
    }
