from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("<int:pk>/open/", views.notification_open, name="notification_open"),
]
