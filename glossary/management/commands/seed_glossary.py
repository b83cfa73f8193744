"""manage.py seed_glossary: load the project's own AI glossary, reviewed and released."""

from django.core.management.base import BaseCommand, CommandError

from glossary.exchange import seed


class Command(BaseCommand):
    help = (
        "Load the seed glossary from fixtures/seed: concepts are created, reviewed by the seed "
        "reviewers of both sides, published, and released as 2024.1. A second run changes nothing."
    )

    def handle(self, *args, **options):
        try:
            report = seed.load()
        except seed.SeedError as exc:
            raise CommandError(f"The seed glossary was not loaded, nothing changed: {exc}") from exc
        self.stdout.write(
            f"Seed glossary: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged; {report.domains_written} domain(s) and "
            f"{report.sources_written} source(s) written."
        )
        if report.release:
            self.stdout.write(f"Release {report.release} cut.")
        if not report.changed_anything:
            self.stdout.write("Nothing to do: the glossary already holds the seed.")
