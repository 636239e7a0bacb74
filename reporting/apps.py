from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"

    def ready(self):
        from accounts import dashboard, privacy

        from . import privacy as reporting_privacy
        from . import selectors

        privacy.register(reporting_privacy.PART)
        dashboard.register(dashboard.STAFF, dashboard.Panel("reporting/_staff_dashboard.html"))
        dashboard.register(
            dashboard.FUNDER,
            dashboard.Panel("reporting/_funder_year.html", lambda user: selectors.funder_start_page()),
        )
        dashboard.register(dashboard.FUNDER, dashboard.Panel("reporting/_funder_dashboard.html"))

        from programme import events

        from . import facts

        events.subscribe(facts.on_event)

        from django.db.models.signals import post_save, pre_save

        from programme.models import FundingPhase

        pre_save.connect(facts.remember_phase_dates, sender=FundingPhase, dispatch_uid="reporting_phase_dates")
        post_save.connect(facts.on_phase_saved, sender=FundingPhase, dispatch_uid="reporting_phase_saved")
