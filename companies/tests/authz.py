import uuid

from digitalfabrik.testing import Case, expect

_A = lambda world: {"pk": world.company_a.pk}  # noqa: E731
_B = lambda world: {"pk": world.company_b.pk}  # noqa: E731
_pk = lambda name: lambda world: {"pk": world.objects[name].pk}  # noqa: E731

CASES = [
    Case("companies:list", expect(member_a=200, member_b=200, coach=200, staff=200, staff_other=200, admin=200)),
    Case("companies:create", expect(member_a=200, member_b=200)),
    Case("companies:detail", expect(member_a=200, coach=200, staff=200, admin=200), kwargs=_A),
    Case(
        "companies:detail",
        expect(member_b=200, coach=200, staff_other=200, staff_lead=200, admin=200),
        kwargs=_B,
        label="B",
    ),
    Case("companies:edit", expect(member_a=200, staff=200, admin=200), kwargs=_A),
    Case("companies:edit", expect(member_b=200, staff_other=200, staff_lead=200, admin=200), kwargs=_B, label="B"),
    Case("companies:history", expect(member_a=200, staff=200, admin=200), kwargs=_A),
    Case("companies:handover", expect(staff=200, admin=200), kwargs=_A),
    Case("companies:handover", expect(staff_other=200, staff_lead=200, admin=200), kwargs=_B, label="B"),
    Case(
        "companies:handover",
        expect(staff=302, admin=302),
        kwargs=_A,
        method="post",
        data=lambda world: {"to_partner": world.company_b.responsible_partner_id, "reason": "Zweigwerk in Hagen"},
        label="hand over",
    ),
    Case("companies:invite", expect(member_a=200), kwargs=_A),
    Case(
        "companies:invite",
        expect(member_a=302),
        kwargs=_A,
        method="post",
        data=lambda world: {"email": "colleague@example.com", "submission_token": uuid.uuid4()},
        label="send",
    ),
    # Only the company's own members take back its open invitations.
    Case("companies:invitation_revoke", expect(member_a=302), kwargs=_pk("invitation_a"), method="post"),
    Case("companies:invitation_revoke", expect(default=405), kwargs=_pk("invitation_a"), label="GET"),
    Case(
        "companies:invitation_accept",
        expect(default=200),
        kwargs=lambda world: {"token": world.objects["invitation_a"].token},
    ),
]


def build(world):
    from companies.models import Invitation

    world.objects["invitation_a"] = Invitation.objects.create(
        company=world.company_a, email="new.colleague@example.com", invited_by=world.users["member_a"]
    )
