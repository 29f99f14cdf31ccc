"""The initial competence taxonomy; facilitators and admins curate it from here on."""

from django.db import migrations

# (code, group, German, English)
COMPETENCES = [
    (
        "sensor-based-sorting",
        "sorting_processing",
        "Sensorgestützte Sortierung",
        "Sensor-based sorting",
    ),
    (
        "shredding",
        "sorting_processing",
        "Schreddern und Zerkleinern",
        "Shredding and size reduction",
    ),
    ("briquetting", "sorting_processing", "Brikettieren", "Briquetting"),
    ("scrap-preparation", "sorting_processing", "Schrottaufbereitung", "Scrap preparation"),
    ("dismantling", "sorting_processing", "Demontage und Zerlegung", "Dismantling and disassembly"),
    (
        "eddy-current-separation",
        "sorting_processing",
        "Wirbelstromscheidung",
        "Eddy-current separation",
    ),
    ("battery-recycling", "sorting_processing", "Batterierecycling", "Battery recycling"),
    ("weee-processing", "sorting_processing", "Elektroaltgeräte-Aufbereitung", "WEEE processing"),
    ("hydrometallurgy", "metallurgy", "Hydrometallurgie", "Hydrometallurgy"),
    ("pyrometallurgy", "metallurgy", "Pyrometallurgie", "Pyrometallurgy"),
    (
        "electrometallurgy",
        "metallurgy",
        "Elektrometallurgie und Raffination",
        "Electrometallurgy and refining",
    ),
    ("remelting", "metallurgy", "Umschmelzen", "Remelting"),
    ("alloy-development", "metallurgy", "Legierungsentwicklung", "Alloy development"),
    (
        "slag-residue-recovery",
        "metallurgy",
        "Schlacken- und Reststoffverwertung",
        "Slag and residue recovery",
    ),
    ("chemical-analysis", "metallurgy", "Chemische Analytik", "Chemical analysis"),
    ("casting", "manufacturing", "Gießen", "Casting"),
    ("forming", "manufacturing", "Umformen", "Forming"),
    ("machining", "manufacturing", "Zerspanung", "Machining"),
    ("additive-manufacturing", "manufacturing", "Additive Fertigung", "Additive manufacturing"),
    ("remanufacturing", "manufacturing", "Remanufacturing", "Remanufacturing"),
    (
        "repair-refurbishment",
        "manufacturing",
        "Reparatur und Aufarbeitung",
        "Repair and refurbishment",
    ),
    ("circular-design", "design", "Circular Design", "Circular design"),
    (
        "design-for-disassembly",
        "design",
        "Demontagegerechte Konstruktion",
        "Design for disassembly",
    ),
    ("material-substitution", "design", "Werkstoffsubstitution", "Material substitution"),
    (
        "digital-product-passport",
        "digital",
        "Digitaler Produktpass und IT",
        "Digital product passport and IT",
    ),
    (
        "material-tracking",
        "digital",
        "Materialrückverfolgung",
        "Material tracking and traceability",
    ),
    ("data-platforms", "digital", "Datenplattformen und Software", "Data platforms and software"),
    (
        "lca-carbon-accounting",
        "sustainability",
        "Ökobilanz und CO2-Bilanzierung",
        "LCA and carbon accounting",
    ),
    ("material-flow-analysis", "sustainability", "Stoffstromanalyse", "Material flow analysis"),
    ("waste-law", "services", "Abfall- und Umweltrecht", "Waste and environmental law"),
    ("logistics", "services", "Logistik und Entsorgung", "Logistics and disposal"),
    ("consulting-transfer", "services", "Beratung und Transfer", "Consulting and transfer"),
    ("funding-acquisition", "services", "Fördermittelberatung", "Funding advice"),
    ("training", "services", "Aus- und Weiterbildung", "Education and training"),
]


def create_competences(apps, schema_editor):
    competence = apps.get_model("network", "Competence")
    for code, group, name_de, name_en in COMPETENCES:
        competence.objects.update_or_create(
            code=code, defaults={"group": group, "name_de": name_de, "name_en": name_en}
        )


def remove_competences(apps, schema_editor):
    codes = [row[0] for row in COMPETENCES]
    apps.get_model("network", "Competence").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]
    operations = [migrations.RunPython(create_competences, remove_competences)]
