"""manage.py cut_release NAME --notes "..." [--notes-zh-hans "..." --notes-zh-hant "..."]: freeze the published glossary as an edition."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from glossary.core import services
from glossary.core.workflow import WorkflowError


class Command(BaseCommand):
    help = "Freeze the published versions as a release (edition), e.g. 2025.1, with notes."

    def add_arguments(self, parser):
        parser.add_argument("name", help="year.number, for example 2025.1")
        parser.add_argument("--notes", default="", help="release notes in English")
        parser.add_argument("--notes-zh-hans", default="", help="release notes in 简体中文")
        parser.add_argument("--notes-zh-hant", default="", help="release notes in 繁體中文")

    def handle(self, *args, name, notes, notes_zh_hans, notes_zh_hant, **options):
        try:
            release = services.release_cut(
                name=name,
                notes=notes,
                notes_zh_hans=notes_zh_hans,
                notes_zh_hant=notes_zh_hant,
                user=None,
            )
        except ValidationError as exc:
            messages = [m for ms in exc.message_dict.values() for m in ms]
            if any("already exists" in m for m in messages):
                raise CommandError(f"Release {name} already exists; nothing changed.") from exc
            raise CommandError(" ".join(messages)) from exc
        except WorkflowError as exc:
            raise CommandError(exc.message) from exc
        counts = {change: 0 for change in ("added", "changed", "retired", "unchanged")}
        for change in release.entries.values_list("change", flat=True):
            counts[change] += 1
        self.stdout.write(
            f"Release {release.name}: {sum(counts.values())} concepts; {counts['added']} added, "
            f"{counts['changed']} changed, {counts['retired']} retired since "
            f"{release.previous.name if release.previous else 'the start'}."
        )
