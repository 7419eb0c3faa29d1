"""Prepares the test provider's database: tables, an RS256 signing key, the portal registered
as a client and the provider's accounts. Run as a script by the fixture (provider.py):

    python -m tests.oidc_provider.setup CONFIG.json
"""

import json
import sys

import django


def main(config_path: str) -> None:
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType

    config = json.loads(open(config_path, encoding="utf-8").read())
    call_command("migrate", verbosity=0, interactive=False)
    call_command("creatersakey")
    client = Client.objects.create(
        name="Plan tracking portal",
        client_type="confidential",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        jwt_alg="RS256",
        require_consent=False,
        reuse_consent=True,
    )
    client.redirect_uris = config["redirect_uris"]
    client.post_logout_redirect_uris = config["post_logout_redirect_uris"]
    client.scope = ["openid", "email", "profile"]
    client.save()
    client.response_types.add(ResponseType.objects.get(value="code"))
    for account in config["accounts"]:
        User.objects.create_user(**account)


if __name__ == "__main__":
    main(sys.argv[1])
