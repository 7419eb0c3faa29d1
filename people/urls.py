from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.user_list, name="list"),
    path("invite/", views.user_invite, name="invite"),
    path("import/", views.onboarding_upload, name="import"),
    path("import/confirm/", views.onboarding_confirm, name="import_confirm"),
    path("<int:pk>/", views.user_edit, name="edit"),
    path("<int:pk>/deactivate/", views.user_deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.user_reactivate, name="reactivate"),
    path("<int:pk>/resend/", views.invitation_resend, name="resend"),
    path("invitation/<uidb64>/<token>/", views.invitation_accept, name="accept"),
]
