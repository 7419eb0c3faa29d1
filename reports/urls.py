from django.urls import path

from . import round_views, views

app_name = "reports"
urlpatterns = [
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/export.xlsx", views.round_export, name="round_export"),
    path("rounds/<int:pk>/edit/", round_views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/close/", round_views.round_close, name="round_close"),
    path("rounds/<int:pk>/reopen/", round_views.round_reopen, name="round_reopen"),
    path("submissions/<int:pk>/extend/", round_views.submission_extend, name="extend"),
    path("plans/<int:plan_pk>/settings/", round_views.plan_settings, name="plan_settings"),
    path("plans/<int:plan_pk>/lower-tasks/", views.plan_cascade, name="plan_cascade"),
    path(
        "rounds/<int:round_pk>/tasks/<int:task_pk>/contribution/",
        views.contribution_save,
        name="contribution",
    ),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/document/", views.document_download, name="document"),
    path("submissions/<int:pk>/print.pdf", views.print_pdf, name="print_pdf"),
    path("submissions/<int:pk>/print.docx", views.print_docx, name="print_docx"),
    path("submissions/<int:pk>/review/", views.submission_review, name="review"),
    path("submissions/<int:pk>/accept/", views.submission_accept, name="accept"),
    path("submissions/<int:pk>/return/", views.submission_return, name="return"),
    path("submissions/<int:pk>/reopen/", views.submission_reopen, name="reopen"),
    path("submissions/<int:pk>/history/", views.submission_history, name="history"),
    path(
        "submissions/<int:pk>/history/<int:history_id>/",
        views.submission_version,
        name="version",
    ),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
