"""A small OpenID Connect provider on 127.0.0.1 for the tests: real HTTP, real RS256 signatures.

It implements what a municipality's identity provider does in the authorization-code flow:
`/authorize` redirects back with a code, `/token` answers with a signed ID token (with the nonce
it was given and the `amr` the test chose), `/jwks` publishes the public key, `/userinfo`
answers with the user's claims for the access token.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


@dataclass
class Provider:
    client_id: str = "sleutelnet-test"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    claims: dict[str, Any] = field(default_factory=dict)  # what /userinfo says about the user
    amr: list[str] = field(default_factory=list)  # what the ID token says about how they signed in
    codes: dict[str, str] = field(default_factory=dict)  # code -> nonce
    tokens: set[str] = field(default_factory=set)
    token_requests: list[dict[str, list[str]]] = field(default_factory=list)
    key: Any = field(default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def settings(self) -> dict[str, Any]:
        return {
            "OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.base + "/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": self.base + "/token",
            "OIDC_OP_USER_ENDPOINT": self.base + "/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": self.base + "/jwks",
        }

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        payload = {
            "iss": self.base, "sub": self.claims.get("sub", "user-1"), "aud": self.client_id, "iat": now,
            "exp": now + 300, "nonce": nonce, "amr": self.amr,
        }
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": "test-key"})

    def start(self) -> Provider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _json(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                url = urlparse(self.path)
                query = parse_qs(url.query)
                if url.path == "/authorize":
                    code = secrets.token_urlsafe(8)
                    provider.codes[code] = query["nonce"][0]
                    target = query["redirect_uri"][0] + "?" + urlencode({"code": code, "state": query["state"][0]})
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                elif url.path == "/jwks":
                    jwk = json.loads(RSAAlgorithm.to_jwk(provider.key.public_key()))
                    self._json(200, {"keys": [jwk | {"kid": "test-key", "alg": "RS256", "use": "sig"}]})
                elif url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in provider.tokens:
                        self._json(401, {"error": "invalid_token"})
                    else:
                        self._json(200, provider.claims)
                else:
                    self._json(404, {})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                form = parse_qs(self.rfile.read(length).decode())
                provider.token_requests.append(form)
                code = form.get("code", [""])[0]
                if form.get("client_secret", [""])[0] != provider.client_secret or code not in provider.codes:
                    self._json(400, {"error": "invalid_grant"})
                    return
                nonce = provider.codes.pop(code)
                access = secrets.token_urlsafe(16)
                provider.tokens.add(access)
                self._json(200, {"access_token": access, "token_type": "Bearer", "id_token": provider.id_token(nonce), "expires_in": 300})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
