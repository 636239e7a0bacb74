from django.db import migrations

# target state → transition name, as the case workflow had them when events got their action.
ACTIONS = {
    "new": "request",
    "in_progress": "work",
    "waiting_for_company": "wait_for_company",
    "concept_ready": "concept_ready",
    "in_implementation": "implement",
}


def name_past_events(apps, schema_editor):
    CaseStatusChange = apps.get_model("coaching", "CaseStatusChange")
    for to_state, action in ACTIONS.items():
        CaseStatusChange.objects.filter(action="", to_state=to_state).update(action=action)
    closing = CaseStatusChange.objects.filter(action="", to_state="closed")
    closing.filter(case__outcome="cancelled").update(action="cancel")
    closing.update(action="close")


class Migration(migrations.Migration):
    dependencies = [("coaching", "0006_workflow_event_fields")]

    operations = [migrations.RunPython(name_past_events, migrations.RunPython.noop)]
