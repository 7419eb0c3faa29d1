from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("provinces", views.ProvinceViewSet, basename="province")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("sections", views.SectionViewSet, basename="section")
router.register("targets", views.TargetViewSet, basename="target")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("rounds", views.RoundViewSet, basename="round")
router.register("submissions", views.SubmissionViewSet, basename="submission")

urlpatterns = [
    path("v1/", include(router.urls)),
    # Readable without a token (SPECTACULAR_SETTINGS), like the documentation page beside it.
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets a few inline styles; its scripts stay files of our own ('self' only).
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
]
