from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from digitalfabrik.choices import ChoiceLabelsMixin


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMail(models.Model):
    """One e-mail to one recipient, written in the transaction that caused it and sent by a task by id.

    Nothing is sent from a web request: the row commits with the change that caused it, and
    notifications.tasks.deliver_mail sends it (with retries) after the commit. A row stays until it is
    sent or has failed for good; administrators resend failed ones (admin action).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL
    )
    recipient = models.EmailField(_("recipient"))
    kind = models.CharField(_("kind"), max_length=100)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=998)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # [{"filename": ..., "mimetype": ..., "content": base64}] - small files only (calendar entries).
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_status_next")]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class Kind(models.TextChoices):
    """What a notification is about; each person chooses per kind how they are told (Delivery)."""

    APPLICATION = "application", _("Voucher application: status")
    DECISION = "decision", _("Decisions with legal effect")
    REVIEW = "review", _("Applications to review")
    PROOF = "proof", _("Proofs of use to verify")
    COACHING_REQUEST = "coaching_request", _("New coaching requests")
    CASE = "case", _("Coaching case: status")
    REPORT = "report", _("Reports")
    MESSAGE = "message", _("Messages")
    EVENT = "event", _("Event registrations")
    COMPANY = "company", _("Your company: colleagues")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("E-mail at once")
    DIGEST = "digest", _("Daily digest e-mail (07:00)")
    PORTAL = "portal", _("In the portal only")


class Notification(ChoiceLabelsMixin, models.Model):
    """One thing one person is told, shown in the portal (bell, list) and mailed as they chose."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    event = models.CharField(_("event"), max_length=100)
    # Written in the recipient's language when the notification is made.
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    legal_effect = models.BooleanField(_("legal effect"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set when it went out by e-mail (at once or in a digest); a digest takes those still unset.
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """How ``user`` is told about ``kind``; without a row: e-mail at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery, default=Delivery.IMMEDIATE)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} → {self.delivery}"


class Message(ChoiceLabelsMixin, models.Model):
    """One message of the conversation on a coaching case or a voucher application.

    Between the company and its coaches (a case) or the reviewing staff (an application). An
    internal note is written by the programme side and never shown to the company.
    """

    case = models.ForeignKey(
        "coaching.Case", verbose_name=_("coaching case"), null=True, blank=True, on_delete=models.CASCADE
    )
    application = models.ForeignKey(
        "innoscheck.Application", verbose_name=_("application"), null=True, blank=True, on_delete=models.CASCADE
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL)
    text = models.TextField(_("message"), max_length=5000)
    internal = models.BooleanField(_("internal note"), default=False)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=True, application__isnull=False)
                | models.Q(case__isnull=False, application__isnull=True),
                name="message_on_one_thread",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


def message_file_path(instance, filename: str) -> str:
    """A random storage name; the user's file name is kept only as data (``original_name``)."""
    import uuid

    return f"notifications/messages/{uuid.uuid4().hex}"


class MessageAttachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=message_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("message attachment")
        verbose_name_plural = _("message attachments")

    def __str__(self) -> str:
        return self.original_name
