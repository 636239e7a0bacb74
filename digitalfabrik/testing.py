"""The authorization table's vocabulary, shared by every app's tests/authz.py.

Each app declares ``CASES`` (a list of :class:`Case`) and may declare ``build(world)`` to add the
objects its URLs need (e.g. ``world.objects["case_a"] = ...``). accounts/tests/test_authorization.py
runs every case for every role and fails for any portal URL that has no case.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# staff: looks after company A (its partner is responsible for A's place, not for B's);
# staff_other: another partner's staff, looks after company B only; staff_lead: the lead partner's
# staff, looks after every company.
ROLES = ("anonymous", "member_a", "member_b", "coach", "staff", "staff_other", "staff_lead", "funder", "admin")
# Expected "status" meaning: a 302 redirect to the login page.
LOGIN = "login"


@dataclass
class World:
    """Two companies A (Dortmund) and B (Hagen) with one member each, and one user of every other role."""

    users: dict[str, Any]
    company_a: Any
    company_b: Any
    objects: dict[str, Any] = field(default_factory=dict)


@dataclass
class Case:
    url_name: str
    expected: dict[str, int | str]
    kwargs: Callable[[World], dict] = lambda world: {}
    method: str = "get"
    data: Callable[[World], dict] = lambda world: {}
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.url_name}{' ' + self.label if self.label else ''}"


def expect(*, default: int = 403, anonymous: int | str = LOGIN, **per_role: int) -> dict[str, int | str]:
    """Expected status per role: ``default`` for every logged-in role not named.

    ``staff_lead`` expects what ``staff`` does unless named: the lead partner's staff see at least what
    any staff member sees. Where they see more (company B's objects, lists), the case names them.
    """
    unknown = set(per_role) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")
    if "staff" in per_role:
        per_role.setdefault("staff_lead", per_role["staff"])
    return {role: per_role.get(role, anonymous if role == "anonymous" else default) for role in ROLES}
