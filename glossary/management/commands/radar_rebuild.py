"""manage.py radar_rebuild: derive the radar's candidates again from the whole corpus."""

from django.core.management.base import BaseCommand

from glossary.radar import services


class Command(BaseCommand):
    help = (
        "Replace the new-terms radar's candidates with those the corpus gives now (the "
        "linguists' decisions are kept: they are keyed by the candidates' text)."
    )

    def handle(self, *args, **options):
        count = services.candidates_rebuild()
        self.stdout.write(f"Radar rebuilt: {count} candidate(s).")
