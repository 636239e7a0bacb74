from digitalfabrik.testing import Case, expect

# Every logged-in person has notifications; staff, coaches and administrators a task list.
EVERYONE = {
    "member_a": 200,
    "member_b": 200,
    "coach": 200,
    "staff": 200,
    "staff_other": 200,
    "funder": 200,
    "admin": 200,
}
TEAM = {"coach": 200, "staff": 200, "staff_other": 200, "admin": 200}
REDIRECT = dict.fromkeys(EVERYONE, 302)


def _pk(name):
    return lambda world: {"pk": world.objects[name].pk}


# The conversation on company A's application: its members and the staff who review it.
APPLICATION_A = {"member_a": 200, "staff": 200, "admin": 200}
# On company A's coaching case: its members, its coach and the staff who look after company A.
CASE_A = {"member_a": 200, "coach": 200, "staff": 200, "admin": 200}


def build(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from coaching.tests.factories import CaseFactory
    from innoscheck.tests.factories import PDF_BYTES, ApplicationFactory
    from innoscheck.workflow import Status
    from notifications.conversations import message_post
    from notifications.models import Kind, Notification
    from notifications.services import unsubscribe_token

    application = ApplicationFactory(company=world.company_a, status=Status.IN_REVIEW)
    world.objects["thread_application_a"] = application
    world.objects["thread_case_a"] = CaseFactory(company=world.company_a, coach=world.users["coach"])
    for name, author, internal in [
        ("message_file_a", world.users["member_a"], False),
        ("internal_file_a", world.users["staff"], True),
    ]:
        upload = SimpleUploadedFile("datei.pdf", PDF_BYTES, content_type="application/pdf")
        message = message_post(subject=application, author=author, text="Text", internal=internal, files=[upload])
        world.objects[name] = message.attachments.get()

    world.objects["notification_a"] = Notification.objects.create(
        user=world.users["member_a"], kind=Kind.APPLICATION, event="voucher.submit", title="Antrag eingereicht"
    )
    world.objects["unsubscribe_token"] = unsubscribe_token(user=world.users["staff"], kind=Kind.REVIEW)


CASES = [
    Case("notifications:list", expect(**EVERYONE)),
    Case("notifications:read_all", expect(**REDIRECT), method="post"),
    # Only its own person marks a notification read; everyone else is refused.
    Case(
        "notifications:read",
        expect(member_a=302),
        kwargs=lambda world: {"pk": world.objects["notification_a"].pk},
        method="post",
    ),
    Case("notifications:preferences", expect(**EVERYONE)),
    # The unsubscribe link works without a login: the signed token is the permission.
    Case(
        "notifications:unsubscribe",
        expect(anonymous=200, default=200),
        kwargs=lambda world: {"token": world.objects["unsubscribe_token"]},
    ),
    Case("notifications:tasks", expect(**TEAM)),
    Case("notifications:application_thread", expect(**APPLICATION_A), kwargs=_pk("thread_application_a")),
    Case(
        "notifications:application_thread",
        expect(**dict.fromkeys(APPLICATION_A, 302)),
        kwargs=_pk("thread_application_a"),
        method="post",
        data=lambda world: {"text": "Eine Frage"},
        label="write",
    ),
    Case("notifications:case_thread", expect(**CASE_A), kwargs=_pk("thread_case_a")),
    Case("notifications:message_attachment", expect(**APPLICATION_A), kwargs=_pk("message_file_a")),
    Case(
        "notifications:message_attachment",
        expect(staff=200, admin=200),
        kwargs=_pk("internal_file_a"),
        label="of an internal note",
    ),
]
