from django.urls import path

from metalloop.matching import views

app_name = "matching"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:proposal_id>/answer/", views.proposal_answer, name="proposal_answer"),
    path("proposals/<int:proposal_id>/curate/", views.proposal_curate, name="proposal_curate"),
    path("proposals/<int:proposal_id>/outcome/", views.proposal_outcome, name="proposal_outcome"),
    path("proposals/<int:proposal_id>/release/", views.proposal_release, name="proposal_release"),
    path("searches/", views.saved_searches, name="saved_searches"),
    path("searches/<int:search_id>/delete/", views.saved_search_delete, name="saved_search_delete"),
    path("notifications/", views.notifications, name="notifications"),
    path("networks/<slug:slug>/", views.board, name="board"),
    path("networks/<slug:slug>/run/", views.run_start, name="run_start"),
    path("networks/<slug:slug>/release/", views.release, name="release"),
    path("networks/<slug:slug>/settings/", views.settings_update, name="settings"),
    path("networks/<slug:slug>/impact/", views.impact, name="impact"),
    path("networks/<slug:slug>/impact.<str:fmt>", views.impact_export, name="impact_export"),
]
