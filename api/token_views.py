"""The account's personal access tokens: list, create (shown once), revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digitalfabrik.shortcuts import get_permitted_or_404

from . import permissions, selectors, services
from .forms import TokenForm
from .models import ApiToken
from .scopes import Scope


@login_required
@require_GET
def token_list(request):
    if not permissions.can_manage_tokens(request.user):
        raise PermissionDenied
    return render(
        request,
        "api/token_list.html",
        {
            "tokens": selectors.tokens_of(request.user),
            "needs_second_factor": not permissions.can_create_token(request),
            "scopes": Scope.choices,
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_create(request):
    if not permissions.can_manage_tokens(request.user):
        raise PermissionDenied
    if not permissions.can_create_token(request):
        # Confirm the second factor (allauth's reauthentication records it), then come back here.
        return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.path})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            # The secret is in this one answer only; it is not stored and cannot be shown again.
            return render(request, "api/token_created.html", {"token": token, "secret": secret})
    return render(request, "api/token_form.html", {"form": form})


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_permitted_or_404(ApiToken.objects.all(), pk=pk, user=request.user, check=permissions.can_revoke_token)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("The token has been revoked."))
    return redirect("api_tokens:list")
