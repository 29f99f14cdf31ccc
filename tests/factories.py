"""factory_boy factories for the registry."""

from __future__ import annotations

import factory

from metalloop.accounts.models import Organisation, OrganisationKind, User
from metalloop.network.models import Network, NetworkKind, Site, State, TopicTable

TEST_PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testmetall {n} GmbH")
    slug = factory.Sequence(lambda n: f"testmetall-{n}")
    legal_form = "GmbH"
    kind = OrganisationKind.COMPANY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = "member"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy passes the object
        if create:
            obj.save()


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Testnetz {n}")
    slug = factory.Sequence(lambda n: f"testnetz-{n}")
    kind = NetworkKind.CLUSTER


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Werk"
    place = "Duisburg"
    postcode = "47051"
    state = State.NW
    latitude = 51.43247
    longitude = 6.76516


class TopicTableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicTable

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Thementisch {n}")
    slug = factory.Sequence(lambda n: f"thementisch-{n}")


DUISBURG_80_KM = (64, 5)
"""Row and column of the 80 km cell around Duisburg (51.2–52.0 N, 6.0–7.2 E)."""


def crowd(network, *, names=("Nachbar Eins GmbH", "Nachbar Zwei GmbH"), skip=(), around=None):
    """Members of ``network`` with a site in every 10 km cell of an 80 km cell (Duisburg's by
    default, but the 10 km cells ``(row, column)`` in ``skip``). Around any site in it each
    cell then holds two other organisations, so an anonymous site there is shown as its
    10 km cell (see ``metalloop.core.cloaking``). Returns the organisations."""
    from metalloop.core.cloaking import Cell

    row, column = around or DUISBURG_80_KM
    made = []
    for name in names:
        org = OrganisationFactory(name=name)
        network.memberships.create(organisation=org)
        for i in range(8):
            for j in range(8):
                cell = Cell(1, 1, row * 8 + i, column * 8 + j)
                if (cell.row, cell.column) in skip:
                    continue
                SiteFactory(
                    organisation=org,
                    name=f"Lager {i}{j}",
                    latitude=round(cell.centre.latitude + 0.01, 5),
                    longitude=round(cell.centre.longitude - 0.02, 5),
                )
        made.append(org)
    return made
