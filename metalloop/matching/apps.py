from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "metalloop.matching"
    label = "matching"
    verbose_name = _("Matching")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from metalloop.matching import receivers
        from metalloop.matching.demo import register_demo

        receivers.connect()
        register_demo()
