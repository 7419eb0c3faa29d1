from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path(
        "rounds/<int:round_pk>/tasks/<int:task_pk>/contribution/",
        views.contribution_save,
        name="contribution",
    ),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/document/", views.document_download, name="document"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
