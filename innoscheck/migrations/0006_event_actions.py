from django.db import migrations

# (from, to) → transition name, as the voucher workflow had them when events got their action.
ACTIONS = {
    ("", "draft"): "create",
    ("draft", "draft"): "create",
    ("draft", "submitted"): "submit",
    ("submitted", "in_review"): "start_review",
    ("submitted", "changes_requested"): "request_changes",
    ("in_review", "changes_requested"): "request_changes",
    ("changes_requested", "in_review"): "resubmit",
    ("in_review", "approved"): "approve",
    ("in_review", "rejected"): "reject",
    ("approved", "rejected"): "reject",
    ("approved", "proof_submitted"): "submit_proof",
    ("proof_submitted", "verified"): "verify",
    ("verified", "paid"): "mark_paid",
    ("approved", "expired"): "expire",
}


def name_past_events(apps, schema_editor):
    ApplicationEvent = apps.get_model("innoscheck", "ApplicationEvent")
    for (from_state, to_state), action in ACTIONS.items():
        ApplicationEvent.objects.filter(action="", from_state=from_state, to_state=to_state).update(action=action)
    ApplicationEvent.objects.filter(action="", to_state="withdrawn").update(action="withdraw")
    ApplicationEvent.objects.filter(action="", to_state="cancelled").update(action="cancel")


class Migration(migrations.Migration):
    dependencies = [("innoscheck", "0005_workflow_event_fields")]

    operations = [migrations.RunPython(name_past_events, migrations.RunPython.noop)]
