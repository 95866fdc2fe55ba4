from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from bro.core import policy

# Pages a user who must set up or verify a second factor can still reach.
EXEMPT_PREFIXES = ("/static/", "/healthz", "/i18n/", "/logout", "/two-factor/", "/api/")


class TwoFactorRequiredMiddleware:
    """Send staff who must use TOTP to set it up or verify it before they see anything else.

    The API authenticates with the session too, so it answers 403 instead of redirecting.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and (policy.requires_two_factor(user) or user_has_device(user))
        ):
            if request.path.startswith("/api/") and not request.path.startswith("/api/docs"):
                from django.http import JsonResponse

                return JsonResponse({"detail": _("Two-factor verification required.")}, status=403)
            if not request.path.startswith(EXEMPT_PREFIXES):
                return redirect(reverse("core:two_factor"))
        return self.get_response(request)
