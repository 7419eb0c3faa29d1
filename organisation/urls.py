from django.urls import path

from . import views

app_name = "organisation"
urlpatterns = [
    path("", views.agency_list, name="agencies"),
    path("new/", views.agency_create, name="agency_new"),
    path("<int:pk>/", views.agency_detail, name="agency"),
    path("<int:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("reorganisations/", views.event_list, name="events"),
    path("reorganisations/new/", views.event_create, name="event_new"),
    path("reorganisations/<int:pk>/", views.event_detail, name="event"),
]
