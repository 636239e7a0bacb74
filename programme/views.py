"""The one transition view every workflow's pages use (see programme.workflow)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .workflow import TransitionNotAllowed, Workflow


def transition_page(request, *, workflow: Workflow, obj, name: str, template: str, back: str, context=None):
    """GET: the transition's form; POST: validate it, call the declared service, go ``back``.

    404 for a transition the workflow does not offer on pages, 403 for a person the declaration does
    not allow; a transition the object's state no longer allows is a message, not an error page
    (the page was probably open in another tab).
    """
    if name not in workflow or not workflow[name].form:
        raise Http404
    if not workflow.may(request.user, obj, name):
        raise PermissionDenied
    transition = workflow[name]
    if workflow.state(obj) not in transition.sources:
        messages.error(request, workflow.not_allowed_error(obj, name).messages[0])
        return redirect(back)
    bound = (request.POST, request.FILES) if request.method == "POST" else ()
    form = transition.resolved("form")(*bound, subject=obj)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.perform(name, obj=obj, by=request.user, data=form.cleaned_data)
        except TransitionNotAllowed as error:
            messages.error(request, " ".join(error.messages))
            return redirect(back)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, transition.done or _("Done: %(action)s.") % {"action": transition.label})
            return redirect(back)
    return render(request, template, {**(context or {}), "transition": transition, "form": form, "back": back})
