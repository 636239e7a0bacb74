from digitalfabrik.testing import ROLES, Case, expect

_EVERYONE = dict.fromkeys(ROLES, 200)

# Health endpoints answer everyone with a status code and "ok" only (see digitalfabrik/health.py).
CASES = [
    Case("health:live", expect(**_EVERYONE)),
    Case("health:ready", expect(**_EVERYONE)),
    Case("health:ready", expect(default=405, anonymous=405), method="post"),
    # The legal pages are public: everyone reads them, nobody posts to them.
    Case("legal:imprint", expect(**_EVERYONE)),
    Case("legal:privacy_policy", expect(**_EVERYONE)),
    Case("legal:privacy_policy", expect(default=405, anonymous=405), method="post"),
]
