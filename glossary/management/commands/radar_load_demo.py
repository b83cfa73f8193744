"""manage.py radar_load_demo: load the demonstration corpus into an empty radar."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from glossary.radar import demo


class Command(BaseCommand):
    help = (
        "Load the demonstration corpus (fixtures/radar/manifest.yaml) into the radar and rebuild "
        "its candidates, only when the corpus is empty: running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", help="a folder with manifest.yaml and its files")

    def handle(self, *args, directory=None, **options):
        path = Path(directory) if directory else demo.directory()
        if not (path / "manifest.yaml").exists():
            self.stdout.write(f"No demonstration corpus at {path}; nothing loaded.")
            return
        try:
            loaded = demo.load(path)
        except (ValidationError, OSError) as exc:
            raise CommandError(f"The demonstration corpus was not loaded: {exc}") from exc
        if loaded.skipped:
            self.stdout.write("The corpus already has documents; nothing loaded.")
        else:
            self.stdout.write(
                f"Demonstration corpus: {loaded.documents} document(s), "
                f"{loaded.candidates} candidate(s)."
            )
