from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "metalloop.exchange"
    label = "exchange"
    verbose_name = _("Material exchange")

    def ready(self) -> None:
        from metalloop.exchange import receivers  # noqa: F401 - connects the signal receivers
        from metalloop.exchange.demo import register_demo

        register_demo()
