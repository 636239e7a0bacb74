from digitalfabrik.testing import Case, expect

_EVERYONE = dict.fromkeys(("member_a", "member_b", "coach", "staff", "staff_other", "funder", "admin"), 200)

CASES = [
    Case("dashboard", expect(anonymous=200, **_EVERYONE)),
    Case("set_language", expect(anonymous=302, default=302), method="post", data=lambda w: {"language": "en"}),
    Case("privacy", expect(**_EVERYONE)),
    Case("privacy_export", expect(**_EVERYONE)),
    # A wrong password: company members see the form again; nobody is erased by the table.
    Case(
        "privacy_erase",
        expect(member_a=200, member_b=200),
        method="post",
        data=lambda w: {"password": "wrong", "confirm": "on"},
    ),
    Case("privacy_erase", expect(default=405)),
]
