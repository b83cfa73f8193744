"""Registers the translated fields with django-modeltranslation (en, zh-hans and zh-hant)."""

from modeltranslation.translator import TranslationOptions, register

from glossary.core.fields import TEXT_FIELDS
from glossary.core.models import ConceptVersion, Domain, Release


@register(ConceptVersion)
class ConceptVersionTranslation(TranslationOptions):
    fields = TEXT_FIELDS


@register(Release)
class ReleaseTranslation(TranslationOptions):
    fields = ("notes",)


@register(Domain)
class DomainTranslation(TranslationOptions):
    fields = ("name",)


# Decision records (issue 17): a round's name, place and summary in each language.
from glossary.core.models import DialogueRound  # noqa: E402


@register(DialogueRound)
class DialogueRoundTranslation(TranslationOptions):
    fields = ("name", "place", "summary")


# Public consultation: the question and the response summary in each language of the call.
from glossary.core.models import Consultation  # noqa: E402


@register(Consultation)
class ConsultationTranslation(TranslationOptions):
    fields = ("question", "summary")


# Authorities' names in each language (issue 18).
from glossary.core.models import Authority  # noqa: E402


@register(Authority)
class AuthorityTranslation(TranslationOptions):
    fields = ("name",)
