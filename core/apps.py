from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Dùng chung"

    def ready(self) -> None:
        from django.core import checks

        from core import capabilities, links

        # Every installed app's capability.py declares its wiring (URLs, API, jobs, demo,
        # navigation, sections, metrics, calendar listeners); see docs/adding-a-capability.md.
        capabilities.autodiscover()
        checks.register(capabilities.check_wiring)
        checks.register(links.check_site_url)
