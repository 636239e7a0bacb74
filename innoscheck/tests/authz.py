from digitalfabrik.testing import Case, expect

# Company A's applications: its partner's staff, the lead partner's staff (derived) and administrators.
STAFF = {"staff": 200, "admin": 200}
# Company B's applications: the other partner's staff, the lead's and administrators; not company A's partner.
STAFF_B = {"staff_other": 200, "staff_lead": 200, "admin": 200}
# Pages of no single company: every staff member.
ALL_STAFF = {"staff": 200, "staff_other": 200, "admin": 200}


def _pk(name):
    return lambda world: {"pk": world.objects[name].pk}


def _action(name, action):
    return lambda world: {"pk": world.objects[name].pk, "action": action}


def _step(step):
    return lambda world: {"pk": world.objects["draft_a"].pk, "step": step}


CASES = [
    Case("innoscheck:list", expect(member_a=200, member_b=200)),
    Case("innoscheck:create", expect(member_a=200, member_b=200)),
    Case("innoscheck:detail", expect(member_a=200, **STAFF), kwargs=_pk("review_a")),
    # A draft is the company's own until it is submitted.
    Case("innoscheck:detail", expect(member_a=200), kwargs=_pk("draft_a"), label="draft"),
    Case("innoscheck:detail", expect(member_b=200, **STAFF_B), kwargs=_pk("review_b"), label="of company B"),
    Case("innoscheck:action", expect(**STAFF_B), kwargs=_action("review_b", "approve"), label="approve B"),
    Case(
        "innoscheck:action",
        expect(staff_other=302, staff_lead=302, admin=302),
        kwargs=_action("review_b", "reject"),
        method="post",
        data=lambda world: {"reason": "Nicht förderfähig"},
        label="reject B (only its partner, the lead and admins)",
    ),
    Case(
        "innoscheck:attachment",
        expect(member_b=200, **STAFF_B),
        kwargs=lambda world: {"pk": world.objects["review_b"].attachments.get().pk},
        label="of company B",
    ),
    Case(
        "innoscheck:document",
        expect(member_b=200, **STAFF_B),
        kwargs=lambda world: {"pk": world.objects["approved_b"].pk, "kind": "voucher"},
        label="of company B",
    ),
    Case("innoscheck:action", expect(**STAFF_B), kwargs=_action("approved_b", "cancel"), label="cancel B"),
    *[
        Case("innoscheck:edit", expect(member_a=200), kwargs=_step(step), label=step)
        for step in ["project", "steps", "expert", "declarations", "attachments", "review"]
    ],
    Case(
        "innoscheck:edit",
        expect(member_a=302),
        kwargs=_step("project"),
        method="post",
        data=lambda world: {"topic": "it_security", "title": "Neu", "description": "", "goals": ""},
        label="project save",
    ),
    Case("innoscheck:action", expect(member_a=200), kwargs=_action("draft_a", "submit"), label="submit"),
    Case("innoscheck:action", expect(member_a=200), kwargs=_action("review_a", "withdraw"), label="withdraw"),
    Case(
        "innoscheck:action",
        expect(member_a=302),
        kwargs=_action("review_a", "withdraw"),
        method="post",
        label="withdraw",
    ),
    Case("innoscheck:action", expect(member_a=200), kwargs=_action("changes_a", "resubmit"), label="resubmit"),
    Case("innoscheck:action", expect(member_a=200), kwargs=_action("approved_a", "submit_proof"), label="proof"),
    Case("innoscheck:action", expect(**STAFF), kwargs=_action("submitted_a", "start_review"), label="start review"),
    Case("innoscheck:action", expect(**STAFF), kwargs=_action("review_a", "request_changes"), label="changes"),
    Case("innoscheck:action", expect(**STAFF), kwargs=_action("review_a", "approve"), label="approve"),
    Case(
        "innoscheck:action",
        expect(staff=302, admin=302),
        kwargs=_action("review_a", "approve"),
        method="post",
        data=lambda world: {"amount": "5.000,00"},
        label="approve (forged by anyone but staff)",
    ),
    Case("innoscheck:action", expect(**STAFF), kwargs=_action("review_a", "reject"), label="reject"),
    Case("innoscheck:action", expect(**STAFF), kwargs=_action("proof_a", "verify"), label="verify"),
    Case("innoscheck:action", expect(**STAFF), kwargs=_action("verified_a", "mark_paid"), label="mark paid"),
    Case(
        "innoscheck:action",
        expect(staff=302, admin=302),
        kwargs=_action("verified_a", "mark_paid"),
        method="post",
        label="mark paid",
    ),
    Case("innoscheck:action", expect(**STAFF), kwargs=_action("approved_a", "cancel"), label="cancel"),
    Case(
        "innoscheck:document",
        expect(member_a=200, **STAFF),
        kwargs=lambda world: {"pk": world.objects["approved_a"].pk, "kind": "voucher"},
    ),
    Case(
        "innoscheck:document",
        expect(member_a=200, **STAFF),
        kwargs=lambda world: {"pk": world.objects["approved_a"].pk, "kind": "certificate"},
        label="certificate",
    ),
    Case("innoscheck:attachment", expect(member_a=200), kwargs=_pk("attachment_a"), label="of a draft"),
    Case("innoscheck:attachment_delete", expect(member_a=302), kwargs=_pk("attachment_a"), method="post"),
    Case(
        "innoscheck:detail",
        expect(member_a=200, coach=200, **STAFF),
        kwargs=_pk("linked_a"),
        label="linked to the coach's case",
    ),
    Case(
        "innoscheck:attachment",
        expect(member_a=200, **STAFF),
        kwargs=lambda world: {"pk": world.objects["linked_a"].attachments.get().pk},
        label="of an application linked to the coach's case",
    ),
    # A draft is deleted only by its company; a submitted application is withdrawn, not deleted.
    Case("innoscheck:delete", expect(member_a=200), kwargs=_pk("draft_a"), label="draft"),
    Case("innoscheck:delete", expect(member_a=302), kwargs=_pk("draft_a"), method="post", label="draft"),
    Case("innoscheck:delete", expect(), kwargs=_pk("submitted_a"), method="post", label="submitted"),
    Case("innoscheck:queue", expect(**ALL_STAFF)),
    Case("innoscheck:experts", expect(**ALL_STAFF)),
    Case("innoscheck:expert_create", expect(**ALL_STAFF)),
    Case("innoscheck:expert_edit", expect(**ALL_STAFF), kwargs=_pk("expert")),
    Case(
        "innoscheck:expert_confirm",
        expect(staff=302, staff_other=302, admin=302),
        kwargs=_pk("proposed_expert"),
        method="post",
    ),
]


def build(world):
    from coaching.tests.factories import CaseFactory
    from innoscheck.tests.factories import ApplicationFactory, ExpertFactory, shared_file
    from innoscheck.workflow import Status
    from programme.tests.factories import FundingPhaseFactory

    phase = FundingPhaseFactory(max_active_vouchers=5)
    member_a = world.users["member_a"]
    expert = ExpertFactory()

    def application(status, **extra):
        return ApplicationFactory(
            company=world.company_a, phase=phase, created_by=member_a, expert=expert, status=status, **extra
        )

    world.objects["expert"] = expert
    world.objects["linked_a"] = application(
        Status.IN_REVIEW, coaching_case=CaseFactory(company=world.company_a, coach=world.users["coach"])
    )
    world.objects["proposed_expert"] = ExpertFactory(confirmed=False)
    world.objects["draft_a"] = application(Status.DRAFT)
    world.objects["attachment_a"] = world.objects["draft_a"].attachments.get()
    world.objects["submitted_a"] = application(Status.SUBMITTED)
    world.objects["review_a"] = application(Status.IN_REVIEW)
    world.objects["changes_a"] = application(Status.CHANGES_REQUESTED)
    for name, status in [
        ("approved_a", Status.APPROVED),
        ("proof_a", Status.PROOF_SUBMITTED),
        ("verified_a", Status.VERIFIED),
    ]:
        item = application(status, approved_amount=5000, verified_amount=5000)
        item.voucher_number = f"ISR-2026-{item.pk:04d}"
        item.voucher_pdf.name = shared_file("innoscheck/vouchers/authz-voucher.pdf")
        item.certificate_pdf.name = shared_file("innoscheck/vouchers/authz-certificate.pdf")
        item.save()
        world.objects[name] = item
    world.objects["review_b"] = ApplicationFactory(
        company=world.company_b, phase=phase, created_by=world.users["member_b"], expert=expert, status=Status.IN_REVIEW
    )
    approved_b = ApplicationFactory(
        company=world.company_b,
        phase=phase,
        created_by=world.users["member_b"],
        expert=expert,
        status=Status.APPROVED,
        approved_amount=5000,
    )
    approved_b.voucher_number = f"ISR-2026-{approved_b.pk:04d}"
    approved_b.voucher_pdf.name = shared_file("innoscheck/vouchers/authz-voucher.pdf")
    approved_b.save()
    world.objects["approved_b"] = approved_b
    phase.reserved_amount = 20000
    phase.save()
