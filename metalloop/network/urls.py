from django.urls import path

from metalloop.network import views

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<slug:slug>/sites/new/", views.site_create, name="site_create"),
    path("sites/<int:site_id>/edit/", views.site_edit, name="site_edit"),
    path("sites/<int:site_id>/delete/", views.site_delete, name="site_delete"),
    path("map/", views.site_map, name="site_map"),
    path("networks/", views.network_list, name="network_list"),
    path("networks/<slug:slug>/", views.network_detail, name="network_detail"),
    path(
        "networks/<slug:network_slug>/topic-tables/<slug:slug>/",
        views.topic_table_detail,
        name="topic_table_detail",
    ),
    path("registry/import/", views.registry_import, name="registry_import"),
    path("audit/", views.audit_trail, name="audit_trail"),
]
