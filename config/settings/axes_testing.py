"""Not a settings module: the sign-in throttling backend the test settings use.

django-axes needs the request to count a failure, and refuses a call to `authenticate()` that
has none. Django's test `Client.login()` passes none, so under the test settings such a call is
let through to the model backend unthrottled; every sign-in through the login page (which does
pass the request) is throttled exactly as in production.
"""

from axes.backends import AxesStandaloneBackend


class RequestOptionalAxesBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
