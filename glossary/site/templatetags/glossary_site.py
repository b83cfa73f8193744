"""``{% load glossary_site %}``: the presentation helpers of ``glossary.site.presentation``."""

from django import template

from glossary.site import presentation

register = template.Library()

register.simple_tag(presentation.html_lang)
register.filter(presentation.bcp47)
register.simple_tag(presentation.translated)
register.filter(presentation.preferred)
register.filter(presentation.reader_terms)
register.filter(presentation.label)
register.filter(presentation.choice_label)
register.filter(presentation.field_label)
register.filter(presentation.language_name)
register.filter(presentation.lang_spans)
register.filter(presentation.lang_text)
register.filter(presentation.text_lang)
register.filter(presentation.lang_or_guess)
register.simple_tag(presentation.parenthetical)
register.filter(presentation.pinyin_marks)
register.filter(presentation.partial_date)
register.filter(presentation.jsonld)
register.simple_tag(presentation.language_alternates, takes_context=True)
register.simple_tag(presentation.absolute, takes_context=True)
register.filter(presentation.term_html)
register.simple_tag(presentation.term_span)


@register.simple_tag
def label_space() -> str:
    """``{% translate "Why:" %}{% label_space %}value``: the space after a label's colon in
    English; none in Chinese, whose full-width colon carries its own."""
    return " " if presentation.interface_language() == "en" else ""


@register.simple_tag
def linked_text(text: presentation.Shown, skip: str = "") -> str:
    """``{% linked_text us_usage concept.uid %}``: the text with the concepts it names linked."""
    from glossary.site.linking import linked

    return linked(text, skip=skip)
