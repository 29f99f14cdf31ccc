"""The registry pages: rendering, filters, htmx partials, forms with bad input, permissions."""

from __future__ import annotations

import pytest

from metalloop.accounts.models import Organisation
from metalloop.common.models import AuditEvent
from metalloop.network.models import Site
from tests.factories import OrganisationFactory, SiteFactory, TopicTableFactory

pytestmark = pytest.mark.django_db


def test_start_page_speaks_german_by_default_even_to_an_english_browser(client, organisation):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response.status_code == 200
    assert '<html lang="de"' in response.text
    assert "Das Netzwerk auf einen Blick" in response.text


def test_language_switch_turns_the_pages_english(client, organisation):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en"' in response.text
    assert "The network at a glance" in response.text
    back = client.post("/i18n/setlang/", {"language": "de", "next": "/"}, follow=True)
    assert "Das Netzwerk auf einen Blick" in back.text


def test_start_page_shows_figures_and_the_map_points(client, organisation):
    SiteFactory(organisation=organisation, name="Werk Nord")
    response = client.get("/")
    assert response.context["figures"].organisations == 1
    assert response.context["figures"].sites == 1
    assert '<script id="map-points" type="application/json">' in response.text
    assert "Werk Nord" in response.text


def test_organisation_list_filters_and_answers_htmx_with_the_results_only(client, organisation):
    organisation.roles.set(["collection"])
    OrganisationFactory(name="Andere Gießerei GmbH")
    full = client.get("/organisations/?role=collection")
    assert full.status_code == 200
    assert [o.pk for o in full.context["page"]] == [organisation.pk]
    assert "<form" in full.text
    partial = client.get("/organisations/?role=collection", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert partial.text.lstrip().startswith('<section id="results"')
    assert organisation.name in partial.text
    assert "Andere Gießerei" not in partial.text
    assert "HX-Request" in partial["Vary"]


def test_organisation_list_without_filters_lists_everyone(client, organisation, other_organisation):
    response = client.get("/organisations/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2


def test_an_unknown_filter_value_filters_nothing_instead_of_failing(client, organisation):
    response = client.get("/organisations/?role=nonsense")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1


def test_organisation_detail_and_missing_organisation(client, organisation):
    assert client.get(f"/organisations/{organisation.slug}/").status_code == 200
    assert client.get("/organisations/no-such-thing/").status_code == 404


def test_edit_form_with_bad_input_is_shown_again_with_messages_and_saves_nothing(
    client_for, member
):
    organisation = member.organisation
    response = client_for(member).post(
        f"/organisations/{organisation.slug}/edit/",
        {"name": "", "kind": "company", "website": "not a url"},
    )
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.text
    organisation.refresh_from_db()
    assert organisation.name.startswith("Testmetall")
    assert not AuditEvent.objects.filter(action="update").exists()


def test_edit_form_saves_and_records_the_change(client_for, member):
    organisation = member.organisation
    response = client_for(member).post(
        f"/organisations/{organisation.slug}/edit/",
        {"name": "Neuer Name GmbH", "kind": "company", "roles": ["recycling_remelting"]},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Neuer Name GmbH"
    event = AuditEvent.objects.get(action="update")
    assert event.origin == "web"
    assert event.changes["roles"] == [[], ["recycling_remelting"]]


def test_a_member_of_another_organisation_may_not_open_the_edit_form(
    client_for, other_member, organisation
):
    assert (
        client_for(other_member).get(f"/organisations/{organisation.slug}/edit/").status_code == 403
    )


def test_anonymous_users_are_sent_to_the_login(client, organisation):
    response = client.get(f"/organisations/{organisation.slug}/edit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_site_form_reports_an_unknown_place_and_writes_nothing(client_for, member):
    response = client_for(member).post(
        f"/organisations/{member.organisation.slug}/sites/new/",
        {"name": "Lager", "kind": "yard", "place": "Atlantis an der Ruhr"},
    )
    assert response.status_code == 400
    assert "nicht im Ortsverzeichnis" in response.text
    assert not Site.objects.exists()


def test_site_form_locates_a_place_through_the_gazetteer(client_for, member):
    response = client_for(member).post(
        f"/organisations/{member.organisation.slug}/sites/new/",
        {"name": "Lager", "kind": "yard", "place": "Goslar", "postcode": "38640"},
    )
    assert response.status_code == 302
    site = Site.objects.get()
    assert (site.state, round(site.latitude, 2), round(site.longitude, 2)) == ("NI", 51.9, 10.43)


def test_site_form_asks_to_disambiguate_a_place_with_namesakes(client_for, member):
    response = client_for(member).post(
        f"/organisations/{member.organisation.slug}/sites/new/",
        {"name": "Lager", "kind": "yard", "place": "Neuenkirchen"},
    )
    assert response.status_code == 400
    assert "Orte namens Neuenkirchen" in response.text


def test_map_networks_and_topic_tables_render(client, network, organisation):
    table = TopicTableFactory(network=network)
    assert client.get("/map/").status_code == 200
    assert client.get(f"/map/?network={network.slug}").status_code == 200
    assert client.get("/networks/").status_code == 200
    assert client.get(f"/networks/{network.slug}/").status_code == 200
    assert client.get(f"/networks/{network.slug}/topic-tables/{table.slug}/").status_code == 200
    assert client.get(f"/networks/{network.slug}/topic-tables/nope/").status_code == 404


def test_audit_trail_is_for_facilitators_and_scoped_to_their_networks(
    client_for, member, facilitator, organisation
):
    from metalloop.network.services import organisation_update

    organisation_update(actor=None, organisation=organisation, website="https://in.example")
    outsider = OrganisationFactory()
    organisation_update(actor=None, organisation=outsider, website="https://out.example")
    assert client_for(member).get("/audit/").status_code == 403
    page = client_for(facilitator).get("/audit/")
    assert page.status_code == 200
    labels = [e.object_label for e in page.context["page"]]
    assert labels == [organisation.name]


def test_every_page_form_carries_a_csrf_token(client_for, member):
    response = client_for(member).get(f"/organisations/{member.organisation.slug}/edit/")
    assert 'name="csrfmiddlewaretoken"' in response.text


def test_a_post_without_csrf_token_is_refused(member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(
        f"/organisations/{member.organisation.slug}/edit/", {"name": "X", "kind": "company"}
    )
    assert response.status_code == 403
    assert Organisation.objects.get(pk=member.organisation_id).name != "X"
