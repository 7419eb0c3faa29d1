from django.urls import path

from . import views

app_name = "reminders"
urlpatterns = [
    path("rounds/<int:pk>/remind-now/", views.remind_now, name="remind_now"),
    path("rounds/<int:pk>/remind-board/", views.remind_board, name="remind_board"),
]
