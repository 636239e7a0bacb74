from django.apps import AppConfig


class InnoscheckConfig(AppConfig):
    name = "innoscheck"

    def ready(self):
        from accounts import dashboard, privacy
        from accounts.dashboard import Panel
        from programme import links

        from . import privacy as innoscheck_privacy
        from . import selectors
        from .links import applications_of_case

        links.register("coaching.case", applications_of_case)
        privacy.register(innoscheck_privacy.PART)
        dashboard.register(dashboard.COMPANY, Panel("innoscheck/_company_dashboard.html", selectors.company_dashboard))
        dashboard.register(
            dashboard.STAFF, Panel("innoscheck/_staff_dashboard.html", lambda user: selectors.staff_dashboard())
        )
        dashboard.register(
            dashboard.FUNDER, Panel("innoscheck/_funder_dashboard.html", lambda user: selectors.funder_dashboard())
        )
