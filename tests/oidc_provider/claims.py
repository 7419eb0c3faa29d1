def userinfo(claims, user):
    """The claims the provider sends for a user: its e-mail, verified unless the account's
    last name says "unverified" (a provider that has not confirmed the address)."""
    claims["email"] = user.email
    claims["email_verified"] = user.last_name != "unverified"
    claims["name"] = user.get_full_name()
    return claims
