"""manage.py create_demo_users: local sign-in accounts for trying the editorial workflow."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from glossary.core import services

#: username: (group, side, role). All share the password below; for a local machine only.
DEMO_USERS = {
    "admin": ("Administrators", "", ""),
    "editor": ("Editors", "", ""),
    "reviewer-us": ("Reviewers", "us", "linguist"),
    "reviewer-cn": ("Reviewers", "cn", "linguist"),
    "expert-us": ("Reviewers", "us", "expert"),
    "expert-cn": ("Reviewers", "cn", "expert"),
}
DEMO_PASSWORD = "glossary-demo"  # noqa: S105 - documented local-only password


class Command(BaseCommand):
    help = "Create demo accounts (password 'glossary-demo') for local use. Refused unless DEBUG."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for local development only (DEBUG is off).")
        for username, (group, side, role) in DEMO_USERS.items():
            _user, created = services.person_ensure(
                username=username,
                group=group,
                side=side,
                role=role,
                password=DEMO_PASSWORD,
                superuser=username == "admin",
            )
            self.stdout.write(f"{'created' if created else 'kept'} {username} ({group})")
