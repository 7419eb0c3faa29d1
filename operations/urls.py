from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [
    path("", views.health, name="health"),
    path("live/", views.live, name="live"),
]
