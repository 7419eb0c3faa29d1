class VietnameseFirstMiddleware:
    """Serve Vietnamese unless the user picked English in the portal.

    Many officials' browsers announce English; the portal must still open in Vietnamese, so the
    browser's Accept-Language header is ignored and only the language cookie (set by the
    switcher) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
