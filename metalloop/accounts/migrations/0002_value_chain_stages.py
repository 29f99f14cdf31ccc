"""Create one row per value-chain stage (the codes of accounts.models.ValueChainRole)."""

from django.db import migrations

STAGES = [
    "primary_production",
    "smelting_refining",
    "semi_finished",
    "manufacturing",
    "use_trade",
    "collection",
    "sorting_processing",
    "recycling_remelting",
    "design_engineering",
    "services_software",
    "research_transfer",
    "policy_funding",
]


def create_stages(apps, schema_editor):
    stage = apps.get_model("accounts", "ValueChainStage")
    for position, code in enumerate(STAGES, start=1):
        stage.objects.update_or_create(code=code, defaults={"position": position})


def remove_stages(apps, schema_editor):
    apps.get_model("accounts", "ValueChainStage").objects.filter(code__in=STAGES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_stages, remove_stages)]
