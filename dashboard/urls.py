from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="index"),
    path("tasks/", views.dashboard_tasks, name="tasks"),
    path("targets/<int:pk>/", views.dashboard_target, name="target"),
    path("national/", views.national_dashboard, name="national"),
]
