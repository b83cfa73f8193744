"""manage.py seed_glossary: load the project's own AI glossary, reviewed and released."""

from django.core.management.base import BaseCommand, CommandError

from glossary.exchange import seed


class Command(BaseCommand):
    help = (
        "Fill an empty glossary from fixtures/seed: concepts are created, reviewed by the seed "
        "reviewers of both sides, published, and released with its history (2024.1, then the "
        "corrected and new concepts of 2026.1). On a glossary that exists, only seed concepts "
        "it does not have yet are added; nothing in it is changed."
    )

    def handle(self, *args, **options):
        try:
            report = seed.load()
        except seed.SeedError as exc:
            raise CommandError(f"The seed glossary was not loaded, nothing changed: {exc}") from exc
        self.stdout.write(
            f"Seed glossary: {len(report.created)} concept(s) created; "
            f"{len(report.updated)} given a later version; "
            f"{len(report.existing)} already in the glossary, left as they are; "
            f"{report.domains_created} domain(s), {report.sources_created} source(s) and "
            f"{report.authorities_created} authority(ies) created."
        )
        for release in report.releases:
            self.stdout.write(f"Release {release} cut.")
        if not report.changed_anything:
            self.stdout.write("Nothing to do: the glossary already holds every seed concept.")
