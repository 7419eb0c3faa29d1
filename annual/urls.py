from django.urls import path

from . import views

app_name = "annual"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("rounds/<int:pk>/", views.report_detail, name="report"),
    path("rounds/<int:pk>/generate/", views.report_generate, name="generate"),
    path("rounds/<int:pk>/send-up/", views.report_send_up, name="send_up"),
    path("files/<int:pk>/status/", views.snapshot_status, name="snapshot_status"),
    path("files/<int:pk>/sign/", views.snapshot_sign, name="snapshot_sign"),
    path("files/<int:pk>/download/", views.snapshot_download, name="snapshot_download"),
    path("national/<int:pk>/<str:fmt>/", views.national_report_download, name="national_report"),
]
