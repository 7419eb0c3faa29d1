from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/edit/", views.plan_edit, name="edit"),
    path("import/", views.import_new, name="import_new"),
    path("import/<int:pk>/", views.import_review, name="import_review"),
    path("import/<int:pk>/add/<str:kind>/", views.import_add, name="import_add"),
    path(
        "import/<int:pk>/remove/<str:kind>/<path:key>/", views.import_remove, name="import_remove"
    ),
    path("import/<int:pk>/publish/", views.import_publish, name="import_publish"),
    path("import/<int:pk>/discard/", views.import_discard, name="import_discard"),
]
