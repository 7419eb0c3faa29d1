def inbox(request):
    """Unread count for the navigation bar (one COUNT query, signed-in users only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": user.notifications.filter(read_at=None).count()}
