"""The exchange's services: validation across entities, audit trail, signal, files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from metalloop.common.errors import ApplicationError
from metalloop.common.models import AuditEvent
from metalloop.exchange import services
from metalloop.exchange.models import Listing, ListingAttachment, Processor, QualityLevel
from metalloop.exchange.signals import listing_changed
from metalloop.network.models import Site
from metalloop.network.services import organisation_delete, site_delete
from tests.exchange.conftest import TODAY, demand_values, offer_values
from tests.factories import NetworkFactory, OrganisationFactory, SiteFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def pdf(name="Analyse.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def refused(call, **kwargs):
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    return error.value.message_dict


# --- listing_create -----------------------------------------------------------------------------


def test_a_member_places_an_offer_with_grades_and_chemistry_recorded_in_the_trail(
    member, network, site
):
    listing = services.listing_create(
        actor=member, network=network, site=site, origin="api", **offer_values()
    )
    assert listing.organisation == member.organisation
    assert listing.created_by == member
    assert [g.code for g in listing.grades.all()] == ["DESS:CrNi", "EN10088:1.4301"]
    assert [(e.element, e.min_pct, e.max_pct) for e in listing.elements.all()] == [
        ("Cr", Decimal("18.1"), Decimal("18.1")),
        ("Ni", Decimal("8.0"), Decimal("8.5")),
    ]
    assert listing.data_quality is QualityLevel.ANALYSED
    event = AuditEvent.objects.get(action="create", object_type="exchange.listing")
    assert event.actor == member
    assert event.origin == "api"
    assert event.changes["elements"] == [None, {"Cr": ["18.1", "18.1"], "Ni": ["8", "8.5"]}]
    assert list(event.scopes.values_list("network_id", flat=True)) == [network.pk]


def test_a_demand_gets_no_dilution_unless_it_says_so(member, network, site):
    demand = services.listing_create(actor=member, network=network, site=site, **demand_values())
    assert demand.max_dilution_pct == Decimal(0)
    assert [(e.element, e.min_pct, e.max_pct) for e in demand.elements.all()] == [
        ("Cu", None, Decimal("0.5"))
    ]
    assert demand.data_quality is QualityLevel.CLASSIFIED


def test_every_broken_rule_is_reported_at_once_and_nothing_is_written(member, network, site):
    errors = refused(
        services.listing_create,
        actor=member,
        network=network,
        site=site,
        **offer_values(
            material="MAT:nope",
            grades=["EU27:E99"],
            waste_code="AVV:999999",
            quantity=Decimal(0),
            available_until=TODAY - dt.timedelta(days=3),
            min_lot_t=Decimal(5),
            elements=[
                {"element": "Ni", "min_pct": 9, "max_pct": 8},
                {"element": "Qq", "min_pct": 1},
            ],
        ),
    )
    assert set(errors) == {
        "material",
        "grades",
        "waste_code",
        "quantity",
        "available_until",
        "min_lot_t",
        "elements.Ni",
        "elements.Qq",
    }
    assert not Listing.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_site_must_be_of_the_organisation_and_the_organisation_in_the_network(
    admin_user, network, site, other_site
):
    foreign_network = NetworkFactory()
    errors = refused(
        services.listing_create,
        actor=admin_user,
        network=foreign_network,
        site=other_site,
        organisation=site.organisation,
        **offer_values(),
    )
    assert errors["network"] == [
        f"{site.organisation.name} is not a member of {foreign_network.name}."
    ]
    assert errors["site"][0].startswith("The site belongs to another organisation")


def test_an_anonymous_listing_may_not_name_its_owner(member, network, site):
    name = member.organisation.name
    errors = refused(
        services.listing_create,
        actor=member,
        network=network,
        site=site,
        **offer_values(title=f"Späne von {name}", description=name.removesuffix(" GmbH")),
    )
    assert set(errors) == {"title", "description"}
    named = services.listing_create(
        actor=member,
        network=network,
        site=site,
        **offer_values(title=f"Späne von {name}", visibility="named"),
    )
    assert named.title.endswith(name)


@pytest.mark.parametrize(
    ("field", "text", "phrase"),
    [
        ("title", "Späne von {slug}", "{base}"),  # the slug folds to the name's own words
        ("description", "Abholung im Werk Hochfeld, Tor 3", "Werk Hochfeld"),
        ("description", "Abholung Wörthstr. 12", "Wörthstraße"),
        ("title", "Späne der {upper}", "{name}"),
    ],
)
def test_the_guard_catches_slug_site_names_and_streets_in_any_case(
    member, network, site, english, field, text, phrase
):
    site.street = "Wörthstraße 12"
    site.save()
    organisation = member.organisation
    values = {"slug": organisation.slug, "name": organisation.name}
    values["base"] = organisation.name.removesuffix(" GmbH")
    values["upper"] = organisation.name.upper().replace("Ä", "AE")
    errors = refused(
        services.listing_create,
        actor=member,
        network=network,
        site=site,
        **offer_values(**{field: text.format(**values)}),
    )
    assert errors == {
        field: [
            f"This text names your organisation (“{phrase.format(**values)}”), but the entry "
            "does not show its owner; remove it, or show the entry with its owner."
        ]
    }
    assert not Listing.objects.exists()


def test_members_may_not_place_listings_for_other_organisations(member, network, other_site):
    with pytest.raises(PermissionDenied, match="You may not place listings for this organisation"):
        services.listing_create(actor=member, network=network, site=other_site, **offer_values())
    assert not Listing.objects.exists()


def test_a_facilitator_places_listings_for_members_of_their_network(facilitator, network, site):
    listing = services.listing_create(
        actor=facilitator, network=network, site=site, **offer_values()
    )
    assert listing.organisation == site.organisation


def test_pieces_need_a_mass_per_piece(member, network, site):
    errors = refused(
        services.listing_create,
        actor=member,
        network=network,
        site=site,
        **offer_values(unit="pcs", quantity=Decimal(4), kind="used_component"),
    )
    assert errors == {
        "unit_mass_kg": ["Give the mass per piece, so that the mass of the listing is known."]
    }


# --- listing_update, withdraw, verify, expire ------------------------------------------------


def test_update_changes_fields_replaces_chemistry_and_records_the_difference(
    member, anonymous_offer
):
    services.listing_update(
        actor=member,
        listing=anonymous_offer,
        quantity=Decimal(20),
        elements=[{"element": "Cr", "min_pct": Decimal("18.4"), "max_pct": Decimal("18.4")}],
        origin="web",
    )
    anonymous_offer.refresh_from_db()
    assert anonymous_offer.quantity == Decimal(20)
    assert [e.element for e in anonymous_offer.elements.all()] == ["Cr"]
    event = AuditEvent.objects.get(action="update")
    assert event.changes["quantity"] == ["12.5", "20"]
    assert event.changes["elements"][1] == {"Cr": ["18.4", "18.4"]}


def test_update_refuses_unknown_fields_and_the_expired_status(member, anonymous_offer):
    assert refused(
        services.listing_update, actor=member, listing=anonymous_offer, side="demand"
    ) == {"__all__": ["Unknown fields: side."]}
    assert "status" in refused(
        services.listing_update, actor=member, listing=anonymous_offer, status="expired"
    )


def test_another_member_may_not_change_or_withdraw_a_listing(other_member, anonymous_offer):
    with pytest.raises(PermissionDenied):
        services.listing_update(actor=other_member, listing=anonymous_offer, title="X")
    with pytest.raises(PermissionDenied):
        services.listing_withdraw(actor=other_member, listing=anonymous_offer)
    anonymous_offer.refresh_from_db()
    assert anonymous_offer.status == "active"


def test_withdraw_is_audited_once_and_repeats_quietly(member, anonymous_offer):
    services.listing_withdraw(actor=member, listing=anonymous_offer)
    services.listing_withdraw(actor=member, listing=anonymous_offer)
    assert Listing.objects.get().status == "withdrawn"
    assert AuditEvent.objects.filter(action="update").count() == 1


def test_verification_needs_a_facilitator_an_offer_and_a_certificate(
    member, facilitator, anonymous_offer, network, site
):
    with pytest.raises(PermissionDenied, match="Only the facilitators"):
        services.listing_verify(actor=member, listing=anonymous_offer)
    with pytest.raises(ApplicationError) as no_certificate:
        services.listing_verify(actor=facilitator, listing=anonymous_offer)
    assert no_certificate.value.code == "certificate_required"
    demand = services.listing_create(actor=member, network=network, site=site, **demand_values())
    with pytest.raises(ApplicationError, match="Only offers are verified"):
        services.listing_verify(actor=facilitator, listing=demand)

    services.attachment_add(
        actor=member, listing=anonymous_offer, file=pdf(), kind="analysis_certificate"
    )
    services.listing_verify(actor=facilitator, listing=anonymous_offer)
    listing = Listing.objects.prefetch_related("grades", "elements", "attachments").get(
        pk=anonymous_offer.pk
    )
    assert listing.verified_by == facilitator
    assert listing.data_quality is QualityLevel.VERIFIED


def test_a_change_of_the_checked_data_undoes_the_verification(member, facilitator, anonymous_offer):
    services.attachment_add(
        actor=member, listing=anonymous_offer, file=pdf(), kind="analysis_certificate"
    )
    services.listing_verify(actor=facilitator, listing=anonymous_offer)
    services.listing_update(actor=member, listing=anonymous_offer, quantity=Decimal(3))
    assert Listing.objects.get().verified_at is not None
    services.listing_update(actor=member, listing=anonymous_offer, grades=["EN10088:1.4307"])
    listing = Listing.objects.get()
    assert listing.verified_at is None
    assert listing.verified_by is None


def test_listings_past_their_end_expire_by_the_operator_only(member, make_listing, site):
    past = make_listing(site, available_until=TODAY)
    Listing.objects.filter(pk=past.pk).update(  # time passed since it was placed
        available_from=TODAY - dt.timedelta(days=10), available_until=TODAY - dt.timedelta(days=1)
    )
    current = make_listing(site, available_until=TODAY)
    with pytest.raises(PermissionDenied):
        services.listings_expire(actor=member)
    assert services.listings_expire(actor=None, today=TODAY) == 1
    past.refresh_from_db()
    current.refresh_from_db()
    assert (past.status, current.status) == ("expired", "active")


def test_listing_changed_is_sent_after_commit_only(
    member, network, site, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, listing, created, actor, **kwargs):
        received.append((listing.title, created, actor))

    listing_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            listing = services.listing_create(
                actor=member, network=network, site=site, **offer_values()
            )
        first = (listing.title, True, member)
        assert received == [first]
        with django_capture_on_commit_callbacks(execute=True):
            services.listing_update(actor=member, listing=listing, title="Neuer Titel")
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.listing_update(actor=member, listing=listing, title="Neuer Titel")
        assert callbacks == []  # nothing changed, nothing announced
        with (
            django_capture_on_commit_callbacks(execute=False) as pending,
            pytest.raises(ValidationError),
        ):
            services.listing_create(
                actor=member, network=network, site=site, **offer_values(quantity=0)
            )
        assert pending == []
    finally:
        listing_changed.disconnect(receiver)
    assert received == [first, ("Neuer Titel", False, member)]


# --- attachments --------------------------------------------------------------------------------


def xlsx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as workbook:
        workbook.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Analyse.pdf", PDF),
        ("Foto.JPG", b"\xff\xd8\xff\xe0" + b"0" * 20),
        ("Foto.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
        ("Werte.csv", b"Element;Wert\nCr;18,1\n"),
        ("Werte.xlsx", xlsx_bytes()),
    ],
)
def test_documents_of_the_allowed_types_are_stored_under_a_random_name(
    member, anonymous_offer, name, content
):
    attachment = services.attachment_add(
        actor=member, listing=anonymous_offer, file=SimpleUploadedFile(name, content)
    )
    assert attachment.name == name
    assert name.split(".")[0] not in attachment.file.name
    with attachment.file.open("rb") as stored:
        assert stored.read() == content
    assert AuditEvent.objects.get(object_type="exchange.listingattachment").changes["name"] == [
        None,
        name,
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("Analyse.exe", b"MZ", "Attach PDF, PNG, JPEG, CSV or XLSX files only."),
        ("Analyse.pdf", b"<html>", "The content of the file is not PDF, as its name says."),
        (
            "Werte.xlsx",
            b"PK\x03\x04broken",
            "The content of the file is not XLSX, as its name says.",
        ),
        ("Werte.csv", b"a\x00b", "The content of the file is not CSV, as its name says."),
        ("leer.pdf", b"", "The file is empty."),
    ],
)
def test_other_files_are_refused(member, anonymous_offer, name, content, message):
    errors = refused(
        services.attachment_add,
        actor=member,
        listing=anonymous_offer,
        file=SimpleUploadedFile(name, content),
    )
    assert errors == {"file": [message]}
    assert not ListingAttachment.objects.exists()


def test_files_above_the_configured_size_are_refused(member, anonymous_offer, settings):
    settings.EXCHANGE_ATTACHMENT_MAX_BYTES = 1024
    errors = refused(
        services.attachment_add,
        actor=member,
        listing=anonymous_offer,
        file=pdf(content=PDF + b"0" * 2048),
    )
    assert errors["file"][0].startswith("The file is 2.0")
    assert errors["file"][0].endswith("attachments may have at most 1.0\xa0KB.")


def test_only_the_owner_and_facilitators_add_or_remove_attachments(
    member, other_member, facilitator, anonymous_offer, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=other_member, listing=anonymous_offer, file=pdf())
    attachment = services.attachment_add(actor=facilitator, listing=anonymous_offer, file=pdf())
    with pytest.raises(PermissionDenied):
        services.attachment_delete(actor=other_member, attachment=attachment)
    storage, path = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(actor=member, attachment=attachment)
    assert not ListingAttachment.objects.exists()
    assert not storage.exists(path)


def _stored(media_root):
    folder = media_root / "exchange" / "attachments"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_an_attachment_whose_audit_fails_leaves_neither_row_nor_file(
    member, anonymous_offer, media_root, monkeypatch
):
    def broken(**_kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr("metalloop.exchange.services.attachments.audit_record", broken)
    with pytest.raises(RuntimeError):
        services.attachment_add(actor=member, listing=anonymous_offer, file=pdf())
    assert not ListingAttachment.objects.exists()
    assert _stored(media_root) == []


def test_the_sweep_deletes_only_files_an_enclosing_rollback_left_behind(
    member, anonymous_offer, media_root
):
    kept = services.attachment_add(actor=member, listing=anonymous_offer, file=pdf())

    def upload_then_fail() -> None:
        with transaction.atomic():
            services.attachment_add(actor=member, listing=anonymous_offer, file=pdf("Zweite.pdf"))
            raise RuntimeError("the request fails after the upload")

    with pytest.raises(RuntimeError):
        upload_then_fail()
    assert ListingAttachment.objects.get() == kept
    (orphan,) = set(_stored(media_root)) - {kept.file.name.rsplit("/", 1)[1]}
    with pytest.raises(PermissionDenied):
        services.attachments_sweep(actor=member)
    assert services.attachments_sweep(actor=None) == []  # younger than an hour: maybe in flight
    swept = services.attachments_sweep(actor=None, older_than=dt.timedelta(0))
    assert swept == [f"exchange/attachments/{orphan}"]
    assert _stored(media_root) == [kept.file.name.rsplit("/", 1)[1]]


# --- processors ---------------------------------------------------------------------------------


def processor_values(**overrides):
    values = {
        "name": "Spänebrikettierung",
        "process": "briquetting",
        "capacity_t_per_year": Decimal(24000),
        "transport_modes": ["road"],
        "inputs": [
            {"material": "MAT:steel-non-alloy", "grade": "EU27:E5M", "waste_code": "AVV:120101"}
        ],
        "outputs": [
            {
                "material": "MAT:steel-non-alloy",
                "form": "briquettes",
                "legal_status": "end_of_waste",
                "yield_pct": Decimal(93),
            }
        ],
    }
    return values | overrides


def test_a_processor_is_declared_with_inputs_and_outputs(member, network, site):
    processor = services.processor_create(
        actor=member, network=network, site=site, **processor_values()
    )
    assert [(i.material, i.grade) for i in processor.inputs.all()] == [
        ("MAT:steel-non-alloy", "EU27:E5M")
    ]
    assert [o.yield_pct for o in processor.outputs.all()] == [Decimal(93)]
    event = AuditEvent.objects.get(object_type="exchange.processor")
    assert event.changes["outputs"][1][0]["yield_pct"] == "93"


def test_a_processor_needs_inputs_outputs_and_sound_rows(member, network, site):
    errors = refused(
        services.processor_create,
        actor=member,
        network=network,
        site=site,
        **processor_values(inputs=[], outputs=[], capacity_t_per_year=Decimal(0)),
    )
    assert errors == {
        "capacity_t_per_year": ["The capacity must be greater than zero."],
        "inputs": ["Name at least one material the processor accepts."],
        "outputs": ["Name at least one output with its yield."],
    }
    errors = refused(
        services.processor_create,
        actor=member,
        network=network,
        site=site,
        **processor_values(
            inputs=[{"material": "MAT:nope", "colour": "blue"}, {"material": "MAT:copper"}],
            outputs=[
                {
                    "material": "MAT:copper",
                    "form": "granules",
                    "legal_status": "waste",
                    "yield_pct": 120,
                }
            ],
        ),
    )
    assert set(errors) == {"inputs.0", "outputs.0.yield_pct", "outputs.0.waste_code"}
    assert not Processor.objects.exists()


def test_outputs_whose_yields_add_up_to_more_than_all_are_refused(member, network, site):
    two = [
        {"material": "MAT:steel-non-alloy", "form": "shredded", "legal_status": "end_of_waste",
         "yield_pct": Decimal(72)},
        {"material": "MAT:aluminium", "form": "shredded", "legal_status": "end_of_waste",
         "yield_pct": Decimal("30.5")},
    ]  # fmt: skip
    errors = refused(
        services.processor_create,
        actor=member,
        network=network,
        site=site,
        **processor_values(outputs=two),
    )
    assert errors == {
        "outputs": ["The outputs' yields add up to 102.5 %; together they can be at most 100 %."]
    }
    assert not Processor.objects.exists()
    two[1]["yield_pct"] = Decimal(5)
    processor = services.processor_create(
        actor=member, network=network, site=site, **processor_values(outputs=two)
    )
    two[1]["yield_pct"] = Decimal(29)
    refused(services.processor_update, actor=member, processor=processor, outputs=two)
    assert sorted(o.yield_pct for o in processor.outputs.all()) == [Decimal(5), Decimal(72)]


def test_an_output_that_is_waste_names_its_waste_code(member, network, site):
    zorba = {"material": "MAT:aluminium", "grade": "ISRI:Zorba", "form": "shredded",
             "legal_status": "waste", "yield_pct": Decimal(5)}  # fmt: skip
    steel = processor_values()["outputs"][0] | {"yield_pct": Decimal(72)}
    errors = refused(
        services.processor_create,
        actor=member,
        network=network,
        site=site,
        **processor_values(outputs=[steel, zorba]),
    )
    assert errors == {"outputs.1.waste_code": ["Waste needs its waste code (AVV)."]}
    processor = services.processor_create(
        actor=member,
        network=network,
        site=site,
        **processor_values(outputs=[steel, zorba | {"waste_code": "AVV:191203"}]),
    )
    assert processor.outputs.get(material="MAT:aluminium").waste_code == "AVV:191203"


def test_processor_grades_are_found_by_alias_and_withdrawal_is_audited(member, network, site):
    processor = services.processor_create(
        actor=member,
        network=network,
        site=site,
        **processor_values(inputs=[{"material": "MAT:steel-stainless", "grade": "1.4301"}]),
    )
    assert processor.inputs.get().grade == "EN10088:1.4301"
    services.processor_update(actor=member, processor=processor, capacity_t_per_year=Decimal(1000))
    services.processor_withdraw(actor=member, processor=processor)
    assert Processor.objects.get().status == "withdrawn"
    assert AuditEvent.objects.filter(object_type="exchange.processor").count() == 3


# --- the registry's deletions --------------------------------------------------------------------


def test_a_site_with_listings_is_not_deleted_on_its_own(member, anonymous_offer, site):
    with pytest.raises(ApplicationError, match="still has listings or processors"):
        site_delete(actor=member, site=site)
    assert Site.objects.filter(pk=site.pk).exists()
    empty = SiteFactory(organisation=site.organisation, name="Lager")
    site_delete(actor=member, site=empty)


def test_deleting_an_organisation_removes_its_listings_with_its_sites(network, make_listing):
    organisation = OrganisationFactory()
    network.memberships.create(organisation=organisation)
    make_listing(SiteFactory(organisation=organisation))
    organisation_delete(actor=None, organisation=organisation)
    assert not Listing.objects.exists()
