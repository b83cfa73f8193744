"""The one list of translated fields (django-modeltranslation), in en, zh-hans and zh-hant."""

from modeltranslation.translator import TranslationOptions, register

from glossary.models import ConceptVersion, Domain

#: Translated fields of a version, in the order the admin and the diff show them.
VERSION_FIELDS = ("definition", "us_usage", "cn_usage", "agreement_note", "note")


@register(ConceptVersion)
class ConceptVersionTranslation(TranslationOptions):
    fields = VERSION_FIELDS


@register(Domain)
class DomainTranslation(TranslationOptions):
    fields = ("name",)
