from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """A periodic task's run for one slot of its schedule (e.g. the hour from 10:00).

    However many beats send the task and workers take it, the unique (task, slot) lets only the
    first run do the work (digitalfabrik.schedule.run_once_per_slot).
    """

    task = models.CharField(_("task"), max_length=200)
    slot = models.DateTimeField(_("slot"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [models.UniqueConstraint(fields=["task", "slot"], name="scheduled_run_once_per_slot")]
        indexes = [models.Index(fields=["slot"])]

    def __str__(self):
        return f"{self.task} @ {self.slot:%Y-%m-%d %H:%M}"


class SubmittedForm(models.Model):
    """A form that did its work: its one-time token, who sent it, and where its result is.

    The token's primary key makes a second request with the same form (double click, two tabs, a
    retried request) wait for the first one's transaction and then find its result
    (digitalfabrik.once.submit_once).
    """

    token = models.UUIDField(_("token"), primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(_("result"), max_length=500)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("submitted form")
        verbose_name_plural = _("submitted forms")
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self):
        return f"{self.token} → {self.result_url}"


class LegalPage(models.Model):
    """A public legal page (imprint, privacy policy) whose text administrators edit, in German and English."""

    class Kind(models.TextChoices):
        IMPRINT = "imprint", _("Imprint (Impressum)")
        PRIVACY = "privacy", _("Privacy policy (Datenschutzerklärung)")

    kind = models.CharField(_("page"), max_length=20, choices=Kind.choices, unique=True)
    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    text_de = models.TextField(
        _("text (German)"), help_text=_("Plain text; an empty line starts a new paragraph, addresses become links.")
    )
    text_en = models.TextField(
        _("text (English)"), help_text=_("Plain text; an empty line starts a new paragraph, addresses become links.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("legal page")
        verbose_name_plural = _("legal pages")
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()

    def title(self, language: str) -> str:
        return self.title_en if language.startswith("en") and self.title_en else self.title_de

    def text(self, language: str) -> str:
        return self.text_en if language.startswith("en") and self.text_en else self.text_de
