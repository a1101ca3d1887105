"""Token authentication for integrations, separate from the browser session ("Authorization: Token ...")."""

from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """Accepts both `Token <key>` and `Bearer <key>`."""

    def authenticate(self, request):  # type: ignore[no-untyped-def]
        from rest_framework.authentication import get_authorization_header

        auth = get_authorization_header(request).split()
        if auth and auth[0].lower() == b"bearer":
            self.keyword = "Bearer"
        else:
            self.keyword = "Token"
        return super().authenticate(request)
