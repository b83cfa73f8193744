"""Long work done by the job queue (imports, release cuts, …), with its progress and report.

The queue engine (Django's tasks framework) only runs the work; this record is ours, so the
admin can show what a job is doing, its owner can cancel it, and its report stays after the
engine has forgotten the task.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from glossary.core.choices import FINISHED_STATES, JobKind, JobState


class Job(models.Model):
    """One piece of long work: who asked for it, how far it is, and what it reported."""

    #: Who asked for it; none for work the site queues itself (export files after a publication).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="glossary_jobs",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=32, choices=JobKind.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    #: What the work needs to start (for an import: the file's name, format and options).
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    #: The uploaded file, compressed, while a job (or the import that confirms it) needs it.
    data = models.BinaryField(_("data"), default=b"", blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    #: When the worker running the job last said it was alive (see ``services.job_reap``).
    heartbeat = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    #: What the work reported, as JSON the job's page renders (for an import: every entry).
    report = models.JSONField(_("report"), null=True, blank=True)
    #: One line for the owner: the report's summary, or why the job failed or stopped.
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES
