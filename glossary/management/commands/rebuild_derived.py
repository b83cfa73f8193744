"""manage.py rebuild_derived: write the search keys, definition keys, TBX entries, the public
lists' entries and counts, and the term index again."""

from django.core.management.base import BaseCommand, CommandError

from glossary.core import derived

WHAT = {
    derived.SEARCH: "search keys",
    derived.DEFINITIONS: "definition keys",
    derived.TBX: "TBX entries",
    derived.LISTS: "list entries",
    derived.TERMS: "term index entries",
}


class Command(BaseCommand):
    help = (
        "Rebuild the data derived from the published versions (search keys, definition keys, "
        "stored TBX entries, the public lists and their counts, the term index), in batches; running it again writes the same rows. Run it after "
        "`migrate` when upgrading. --if-missing rebuilds only what published versions lack."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            choices=derived.KINDS,
            action="append",
            help="rebuild only this kind (may be repeated); all kinds by default",
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="only the concepts whose versions lack derived rows (a quick check when none do)",
        )
        parser.add_argument(
            "--batch", type=int, default=derived.BATCH, help="concepts per transaction"
        )

    def handle(self, *args, only, if_missing, batch, verbosity, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        kinds = [kind for kind in derived.KINDS if not only or kind in only]

        def progress(rebuilt: derived.Rebuilt) -> None:
            if verbosity >= 2:
                self.stdout.write(f"  {WHAT[rebuilt.kind]}: {rebuilt.concepts} concepts so far")

        done = derived.rebuild(kinds, only_lacking=if_missing, batch=batch, progress=progress)
        for rebuilt in done:
            if rebuilt.concepts or not if_missing:
                self.stdout.write(
                    f"{WHAT[rebuilt.kind]}: {rebuilt.rows} rows rebuilt "
                    f"for {rebuilt.concepts} concepts."
                )
        if if_missing and not any(rebuilt.concepts for rebuilt in done):
            self.stdout.write("Derived data complete: nothing to rebuild.")
