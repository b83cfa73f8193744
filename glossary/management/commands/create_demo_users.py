"""manage.py create_demo_users: local sign-in accounts for trying the editorial workflow."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from glossary.core import roles
from glossary.core.models import Profile

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
        User = get_user_model()
        for username, (group, side, role) in DEMO_USERS.items():
            user, created = User.objects.get_or_create(username=username)
            user.is_staff = True
            user.is_superuser = username == "admin"
            if created:
                user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(roles.group(group))
            if side:
                Profile.objects.update_or_create(user=user, defaults={"side": side, "role": role})
            self.stdout.write(f"{'created' if created else 'kept'} {username} ({group})")
