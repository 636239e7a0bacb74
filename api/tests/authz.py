"""The token pages of the account area (sessions); the API's own table is api_authz.py."""

from digitalfabrik.testing import Case, expect

EVERYONE = dict.fromkeys(("member_a", "member_b", "coach", "staff", "staff_other", "funder", "admin"), 200)
# A session opened without the second factor (force_login): privileged roles confirm it first.
CONFIRM_SECOND_FACTOR = dict.fromkeys(("coach", "staff", "staff_other", "funder", "admin"), 302)

CASES = [
    Case("api_tokens:list", expect(**EVERYONE)),
    Case("api_tokens:create", expect(member_a=200, member_b=200, **CONFIRM_SECOND_FACTOR)),
    Case(
        "api_tokens:create",
        expect(member_a=200, member_b=200, **CONFIRM_SECOND_FACTOR),
        method="post",
        data=lambda world: {"name": "", "scopes": ["indicators:read"]},
        label="invalid",
    ),
    # Only the owner revokes a token (member A's here); everyone else gets 403.
    Case("api_tokens:revoke", expect(member_a=302), kwargs=lambda w: {"pk": w.objects["token_a"].pk}, method="post"),
    Case("api_tokens:revoke", expect(default=405), kwargs=lambda w: {"pk": w.objects["token_a"].pk}, label="GET"),
]


def build(world):
    import datetime

    from django.utils import timezone

    from api import services

    world.objects["token_a"], _ = services.token_create(
        user=world.users["member_a"],
        name="Import",
        scopes=["applications:read"],
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
