from django.urls import path

from metalloop.materials import views

app_name = "materials"
urlpatterns = [
    path("", views.reference_index, name="index"),
    path("check/", views.reference_check, name="check"),
    path("classify/", views.reference_classify, name="classify"),
    path("entry/<str:code>/", views.reference_entry, name="entry"),
    path("<slug:kind>/", views.reference_kind, name="kind"),
]
