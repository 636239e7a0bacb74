from django.db import migrations

# (from, to) → transition name, as the report workflow had them when events got their action.
ACTIONS = {
    ("", "queued"): "request",
    ("failed", "queued"): "retry",
    ("queued", "collecting"): "start",
    ("collecting", "collecting"): "restart",
    ("rendering", "collecting"): "restart",
    ("collecting", "rendering"): "render",
    ("rendering", "done"): "finish",
}


def name_past_events(apps, schema_editor):
    ReportEvent = apps.get_model("reporting", "ReportEvent")
    for (from_state, to_state), action in ACTIONS.items():
        ReportEvent.objects.filter(action="", from_state=from_state, to_state=to_state).update(action=action)
    ReportEvent.objects.filter(action="", to_state="failed").update(action="fail")


class Migration(migrations.Migration):
    dependencies = [("reporting", "0003_workflow_event_fields")]

    operations = [migrations.RunPython(name_past_events, migrations.RunPython.noop)]
