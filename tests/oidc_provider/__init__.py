"""A real OpenID Connect provider for the SSO tests: a tiny Django project of its own running
django-oidc-provider, started on 127.0.0.1 by tests/test_oidc_*.py (see provider.py)."""
