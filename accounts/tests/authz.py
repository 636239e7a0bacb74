from digitalfabrik.testing import Case, expect

_EVERYONE = dict.fromkeys(("member_a", "member_b", "coach", "staff", "funder", "admin"), 200)

CASES = [
    Case("dashboard", expect(anonymous=200, **_EVERYONE)),
    Case("set_language", expect(anonymous=302, default=302), method="post", data=lambda w: {"language": "en"}),
]
