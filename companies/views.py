from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from digitalfabrik import once
from digitalfabrik.paging import paginate
from digitalfabrik.shortcuts import get_permitted_or_404
from programme.choices import SizeClass

from . import permissions, selectors, services
from .filters import CompanyFilter
from .forms import CompanyCreateForm, CompanyForm, HandoverForm, InvitationForm
from .models import Company, Invitation


def _company_for(user, pk: int, check) -> Company:
    return get_permitted_or_404(Company.objects.all(), pk=pk, user=user, check=check)


@login_required
def company_list(request):
    if not permissions.can_list_companies(request.user):
        raise PermissionDenied
    companies = CompanyFilter(request.GET or None, queryset=selectors.company_list(user=request.user))
    return render(
        request,
        "companies/company_list.html",
        {
            "filter": companies,
            **paginate(request, companies.qs),
            "can_register": permissions.can_register_company(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def company_create(request):
    if not permissions.can_register_company(request.user):
        raise PermissionDenied
    if sent := once.redirect_if_sent(request):
        return sent
    form = CompanyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def register() -> str:
            fields = {name: value for name, value in form.cleaned_data.items() if name != once.TOKEN_FIELD}
            company = services.company_create(by=request.user, **fields)
            return reverse("companies:detail", args=[company.pk])

        try:
            url, done_now = once.submit_once(
                token=form.cleaned_data[once.TOKEN_FIELD], user=request.user, perform=register
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not done_now:
                return once.repeated(url, request)
            messages.success(request, _("The company has been registered."))
            return redirect(url)
    return render(request, "companies/company_form.html", {"form": form, "creating": True})


@login_required
def company_detail(request, pk: int):
    company = _company_for(request.user, pk, permissions.can_view_company)
    return render(
        request,
        "companies/company_detail.html",
        {
            "company": company,
            "members": company.memberships.select_related("user"),
            "invitations": company.invitations.filter(accepted_at__isnull=True),
            "is_not_sme": company.size_class == SizeClass.NOT_SME,
            "can_edit": permissions.can_edit_company(request.user, company),
            "can_invite": permissions.can_invite_to_company(request.user, company),
            "can_hand_over": permissions.can_hand_over_company(request.user, company),
            "handovers": company.handovers.select_related("from_partner", "to_partner", "by"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def company_edit(request, pk: int):
    company = _company_for(request.user, pk, permissions.can_edit_company)
    form = CompanyForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        try:
            services.company_update(company=company, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The company profile has been saved."))
            return redirect("companies:detail", pk=company.pk)
    return render(request, "companies/company_form.html", {"form": form, "company": company})


@login_required
def company_history(request, pk: int):
    company = _company_for(request.user, pk, permissions.can_edit_company)
    return render(
        request,
        "companies/company_history.html",
        {"company": company, "entries": selectors.company_history(company=company)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def company_invite(request, pk: int):
    company = _company_for(request.user, pk, permissions.can_invite_to_company)
    if sent := once.redirect_if_sent(request):
        return sent
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def invite() -> str:
            services.invitation_create(company=company, email=form.cleaned_data["email"], by=request.user)
            return reverse("companies:detail", args=[company.pk])

        try:
            url, done_now = once.submit_once(
                token=form.cleaned_data[once.TOKEN_FIELD], user=request.user, perform=invite
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            if not done_now:
                return once.repeated(url, request)
            messages.success(
                request, _("The invitation to %(email)s has been sent.") % {"email": form.cleaned_data["email"]}
            )
            return redirect(url)
    return render(request, "companies/company_invite.html", {"form": form, "company": company})


@login_required
@require_http_methods(["GET", "POST"])
def company_handover(request, pk: int):
    company = _company_for(request.user, pk, permissions.can_hand_over_company)
    form = HandoverForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        try:
            services.company_hand_over(
                company=company,
                to_partner=form.cleaned_data["to_partner"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(company)s is now looked after by %(partner)s.")
                % {"company": company.name, "partner": form.cleaned_data["to_partner"]},
            )
            company.refresh_from_db()
            if permissions.can_view_company(request.user, company):
                return redirect("companies:detail", pk=company.pk)
            return redirect("companies:list")
    return render(request, "companies/company_handover.html", {"form": form, "company": company})


@login_required
@require_POST
def invitation_revoke(request, pk: int):
    invitation = get_permitted_or_404(
        Invitation.objects.select_related("company"), pk=pk, user=request.user, check=permissions.can_revoke_invitation
    )
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation to %(email)s has been revoked.") % {"email": invitation.email})
    return redirect("companies:detail", pk=invitation.company_id)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("company"), token=token)
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("dashboard")
        messages.success(request, _("You are now a member of %(company)s.") % {"company": invitation.company})
        return redirect("companies:detail", pk=invitation.company.pk)
    return render(request, "companies/invitation_accept.html", {"invitation": invitation})
