"""The application form's steps, one small handler each, in the order the company walks them.

A step builds its forms (bound on POST), saves them through one service call, and names its template.
The view (innoscheck.views.application_edit) only finds the step, validates and renders; a new step
is one more class in ``STEPS``.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .eligibility import deminimis_check
from .forms import (
    AttachmentForm,
    DeMinimisAidFormSet,
    ExpertChoiceForm,
    PlannedStepFormSet,
    ProjectForm,
    SmeDeclarationForm,
)
from .models import Application, DeMinimisDeclaration


def _kept_rows(formset, fields: tuple[str, ...]) -> list[dict]:
    """The rows of a formset the company filled in and did not mark for deletion."""
    return [
        {name: form.cleaned_data[name] for name in fields}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class Step:
    name: str
    label: str
    # After saving, go on to the next step (False: stay, e.g. to upload another file).
    moves_on = True
    saved_message = _("Your draft has been saved.")

    @property
    def template(self) -> str:
        return f"innoscheck/steps/{self.name}.html"

    def forms(self, application: Application, data=None, files=None) -> dict:
        """The step's forms by template name, bound when ``data`` is given."""
        return {}

    def save(self, application: Application, by, forms: dict) -> None:
        """Store the valid forms through the services (ValidationError: shown on the step)."""

    def context(self, application: Application) -> dict:
        return {}


class ProjectStep(Step):
    name, label = "project", _("Project")

    def forms(self, application, data=None, files=None):
        return {"form": ProjectForm(data, instance=application)}

    def save(self, application, by, forms):
        services.application_describe(application=application, by=by, **forms["form"].cleaned_data)


class PlannedStepsStep(Step):
    name, label = "steps", _("Planned steps")
    fields = ("description", "start", "end")

    def forms(self, application, data=None, files=None):
        initial = [{field: getattr(step, field) for field in self.fields} for step in application.planned_steps.all()]
        return {"formset": PlannedStepFormSet(data, initial=initial, prefix="steps")}

    def save(self, application, by, forms):
        services.application_set_steps(application=application, by=by, steps=_kept_rows(forms["formset"], self.fields))


class ExpertStep(Step):
    name, label = "expert", _("Expert and amount")

    def forms(self, application, data=None, files=None):
        initial = {
            "expert": application.expert_id,
            "expert_days": application.expert_days,
            "daily_rate": application.daily_rate,
        }
        return {"form": ExpertChoiceForm(data, application=application, initial=initial)}

    def save(self, application, by, forms):
        services.application_choose_expert(application=application, by=by, **forms["form"].cleaned_data)


class DeclarationsStep(Step):
    name, label = "declarations", _("Declarations")
    fields = ("granted_on", "grantor", "amount")

    def forms(self, application, data=None, files=None):
        initial = {
            "sme_confirmed": application.sme_confirmed,
            "deminimis_declaration": application.deminimis_declaration,
        }
        aids = [{field: getattr(aid, field) for field in self.fields} for aid in application.deminimis_aids.all()]
        return {
            "form": SmeDeclarationForm(data, initial=initial),
            "formset": DeMinimisAidFormSet(data, initial=aids, prefix="aids"),
        }

    def save(self, application, by, forms):
        declaration = forms["form"].cleaned_data
        services.application_confirm_sme(application=application, by=by, sme_confirmed=declaration["sme_confirmed"])
        if declaration["deminimis_declaration"]:
            services.application_set_deminimis(
                application=application,
                by=by,
                declaration=declaration["deminimis_declaration"],
                aids=_kept_rows(forms["formset"], self.fields),
            )

    def context(self, application):
        return {
            "company": application.company,
            "aids_choice": DeMinimisDeclaration.AIDS,
            # The programme's own vouchers count without being declared: shown read-only beside the list.
            "deminimis": deminimis_check(
                application, decision_date=timezone.localdate(), amount=application.requested_amount
            ),
        }


class AttachmentsStep(Step):
    name, label = "attachments", _("Attachments")
    moves_on = False
    saved_message = _("The file has been uploaded.")

    def forms(self, application, data=None, files=None):
        return {"form": AttachmentForm(data, files)}

    def save(self, application, by, forms):
        cleaned = forms["form"].cleaned_data
        services.attachment_add(application=application, by=by, kind=cleaned["kind"], upload=cleaned["file"])


class ReviewStep(Step):
    name, label = "review", _("Check and submit")

    def context(self, application):
        return {"blockers": services.submission_blockers(application)}


STEPS: list[Step] = [
    ProjectStep(),
    PlannedStepsStep(),
    ExpertStep(),
    DeclarationsStep(),
    AttachmentsStep(),
    ReviewStep(),
]
BY_NAME = {step.name: step for step in STEPS}


def next_step(step: Step) -> Step:
    index = STEPS.index(step)
    return STEPS[min(index + 1, len(STEPS) - 1)] if step.moves_on else step
