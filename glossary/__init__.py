"""The bilingual AI glossary: one Django app, cut into packages (see the README, "Where things live")."""
