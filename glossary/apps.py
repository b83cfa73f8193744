from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GlossaryConfig(AppConfig):
    name = "glossary"
    verbose_name = _("AI glossary")
    default_auto_field = "django.db.models.BigAutoField"

    def import_models(self) -> None:
        # The models live in the domain package (glossary.core.models), not in glossary.models.
        self.models = self.apps.all_models[self.label]
        self.models_module = import_module(f"{self.name}.core.models")
