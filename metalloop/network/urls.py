from django.urls import path

from metalloop.network import views

urlpatterns = [
    path("", views.home, name="home"),
]
