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
