"""The consolidated report's pages. Spliced into reports/urls.py, so the names live in the
"reports:" namespace (reports:annual_report, …)."""

from django.urls import path

from . import views

urlpatterns = [
    path("annual/", views.report_list, name="annual_reports"),
    path("annual/rounds/<int:pk>/", views.report_detail, name="annual_report"),
    path("annual/rounds/<int:pk>/generate/", views.report_generate, name="annual_generate"),
    path("annual/files/<int:pk>/status/", views.snapshot_status, name="annual_snapshot_status"),
    path(
        "annual/files/<int:pk>/download/",
        views.snapshot_download,
        name="annual_snapshot_download",
    ),
]
