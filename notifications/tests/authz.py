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


def build(world):
    from notifications.models import Kind, Notification
    from notifications.services import unsubscribe_token

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
]
