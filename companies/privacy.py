"""The companies' part of a person's data export and erasure (accounts.privacy; see CompaniesConfig.ready())."""

from django.db.models import Q

from accounts.privacy import ERASED_NAME, Export, Part, Subject, person_pseudonym_email, row_fields

from .models import Company, Invitation, Membership


def _company_history(company: Company, user) -> list[dict]:
    rows = []
    for record in company.history.order_by("history_date", "history_id"):
        row = row_fields(record, exclude={"history_user"})
        row["changed_by_you"] = record.history_user_id == user.pk
        rows.append(row)
    return rows


def export(subject: Subject) -> Export:
    user = subject.user
    companies = Company.objects.filter(pk__in=subject.company_ids).order_by("name", "pk")
    invitations = Invitation.objects.filter(subject.email_q("email") | Q(invited_by=user)).select_related("company")
    return Export(
        {
            "memberships.json": [
                {
                    "company_id": membership.company_id,
                    "company": membership.company.name,
                    "joined_at": membership.joined_at,
                }
                for membership in Membership.objects.filter(user=user).select_related("company").order_by("joined_at")
            ],
            "invitations.json": [
                {
                    "company": invitation.company.name,
                    "email": invitation.email,
                    "created_at": invitation.created_at,
                    "accepted_at": invitation.accepted_at,
                    "sent_by_you": invitation.invited_by_id == user.pk,
                }
                for invitation in invitations
            ],
            "companies.json": [row_fields(company) for company in companies],
            "company_history.json": {str(company.pk): _company_history(company, user) for company in companies},
        }
    )


def erase(subject: Subject) -> None:
    company_ids = subject.company_ids
    for email in subject.emails:
        pseudonym = person_pseudonym_email(email)
        Invitation.objects.filter(email__iexact=email).update(email=pseudonym)
        contact = {"contact_name": ERASED_NAME, "contact_email": pseudonym, "contact_phone": ""}
        Company.objects.filter(contact_email__iexact=email).update(**contact)
        Company.history.filter(contact_email__iexact=email).update(**contact)
    if subject.name:
        erased = {"contact_name": ERASED_NAME, "contact_phone": ""}
        Company.objects.filter(pk__in=company_ids, contact_name__iexact=subject.name).update(**erased)
        Company.history.filter(id__in=company_ids, contact_name__iexact=subject.name).update(**erased)
    subject.scrub(
        Company.history.filter(id__in=company_ids),
        ["contact_name", "contact_email", "contact_phone", "history_change_reason"],
    )
    Membership.objects.filter(user=subject.user).delete()


PART = Part(name="companies", export=export, erase=erase)
