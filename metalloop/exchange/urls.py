from django.urls import path

from metalloop.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.listing_list, name="listing_list"),
    path("listings/new/<str:side>/", views.listing_create, name="listing_create"),
    path("listings/<int:listing_id>/", views.listing_detail, name="listing_detail"),
    path("listings/<int:listing_id>/edit/", views.listing_edit, name="listing_edit"),
    path("listings/<int:listing_id>/withdraw/", views.listing_withdraw, name="listing_withdraw"),
    path("listings/<int:listing_id>/verify/", views.listing_verify, name="listing_verify"),
    path(
        "listings/<int:listing_id>/attachments/",
        views.attachment_upload,
        name="attachment_upload",
    ),
    path(
        "listings/<int:listing_id>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "listings/<int:listing_id>/attachments/<int:attachment_id>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("import/", views.listing_import, name="listing_import"),
    path("export/", views.listing_export, name="listing_export"),
    path("processors/", views.processor_list, name="processor_list"),
    path("processors/new/", views.processor_create, name="processor_create"),
    path("processors/<int:processor_id>/", views.processor_detail, name="processor_detail"),
    path("processors/<int:processor_id>/edit/", views.processor_edit, name="processor_edit"),
    path(
        "processors/<int:processor_id>/withdraw/",
        views.processor_withdraw,
        name="processor_withdraw",
    ),
]
