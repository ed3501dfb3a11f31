"""Server-side client for a wl-connect provider.

A back end (a web application's server) uses it to run the OAuth 2.0 authorization code flow
as a *confidential client* (with a client secret, ``client_secret_basic``) or, without a secret,
as a public one; to refresh and revoke tokens; and to call the Live-style data APIs at ``/v1``
with OData query options.  Only the standard library is used.

>>> client = Client("http://127.0.0.1:8081", "CLIENT_ID", client_secret="wlcs_...",
...                 redirect_uri="http://127.0.0.1:4000/callback")      # doctest: +SKIP
>>> pending = client.authorization_url("wl.basic wl.offline_access")   # doctest: +SKIP
>>> # redirect the browser to pending.url; keep pending.state and pending.code_verifier
>>> tokens = client.exchange_code(code, state, pending)                # doctest: +SKIP
>>> client.api("me", tokens)["name"]                                   # doctest: +SKIP
'Alice Anderson'

Secrets and tokens never appear in ``repr()`` or in error messages.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional, Tuple, Union

__all__ = [
    "AuthorizationRequest",
    "Client",
    "OData",
    "Tokens",
    "WLError",
    "quote",
]

__version__ = "0.1.0"

#: Seconds before ``expires_at`` from which :meth:`Client.ensure_fresh` refreshes.
DEFAULT_LEEWAY = 60.0


class WLError(Exception):
    """Every failure of this library.

    ``code`` is the provider's stable code: the token endpoint's ``error`` (``invalid_client``,
    ``invalid_grant``, ``invalid_request``…) or the data API's ``error.code``
    (``request_token_invalid``, ``request_parameter_invalid``…).  Failures found by the library
    itself have codes of their own: ``state_mismatch``, ``access_denied`` (and any other
    ``error`` the provider put on the redirect), ``no_refresh_token``, ``discovery_invalid``,
    ``response_invalid``, ``network_error``.  ``status`` is the HTTP status, 0 when there was no
    HTTP answer.
    """

    def __init__(self, code: str, message: str, status: int = 0) -> None:
        super().__init__(f"{code}: {message}" + (f" (HTTP {status})" if status else ""))
        self.code = code
        self.message = message
        self.status = status


@dataclass
class Tokens:
    """The tokens of one person for this app.

    ``expires_at`` is a Unix time (seconds).  A refresh token is spent when used: keep the
    :class:`Tokens` that :meth:`Client.refresh` returns.
    """

    access_token: str = field(repr=False)
    expires_at: float
    scope: str = ""
    token_type: str = "Bearer"
    refresh_token: Optional[str] = field(default=None, repr=False)
    id_token: Optional[str] = field(default=None, repr=False)

    def expired(self, leeway: float = 0.0, now: Optional[float] = None) -> bool:
        """Whether the access token is expired, or will be within ``leeway`` seconds."""
        return (time.time() if now is None else now) + leeway >= self.expires_at

    def to_dict(self) -> Dict[str, Any]:
        """A JSON-ready dict (for storing in the back end's session or database)."""
        return {
            "access_token": self.access_token,
            "expires_at": self.expires_at,
            "scope": self.scope,
            "token_type": self.token_type,
            "refresh_token": self.refresh_token,
            "id_token": self.id_token,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Tokens":
        """The inverse of :meth:`to_dict`."""
        return cls(
            access_token=str(data["access_token"]),
            expires_at=float(data["expires_at"]),
            scope=str(data.get("scope") or ""),
            token_type=str(data.get("token_type") or "Bearer"),
            refresh_token=data.get("refresh_token"),
            id_token=data.get("id_token"),
        )

    @classmethod
    def from_response(cls, data: Mapping[str, Any], now: Optional[float] = None) -> "Tokens":
        """Reads a token endpoint answer (``expires_in`` becomes ``expires_at``)."""
        if not isinstance(data.get("access_token"), str):
            raise WLError("response_invalid", "the token answer has no access_token", 200)
        issued = time.time() if now is None else now
        return cls(
            access_token=data["access_token"],
            expires_at=issued + float(data.get("expires_in") or 0),
            scope=str(data.get("scope") or ""),
            token_type=str(data.get("token_type") or "Bearer"),
            refresh_token=data.get("refresh_token"),
            id_token=data.get("id_token"),
        )


@dataclass(frozen=True)
class AuthorizationRequest:
    """An authorization request in flight: send the browser to ``url``; keep ``state`` and
    ``code_verifier`` in the person's session until the callback."""

    url: str
    state: str
    code_verifier: str = field(repr=False)


def quote(value: str) -> str:
    """An OData string literal: ``O'Brien`` becomes ``'O''Brien'``."""
    return "'" + value.replace("'", "''") + "'"


class OData:
    """A small builder of OData query options for collections (``/v1/me/friends``,
    ``/v1/me/contacts``).

    >>> OData().filter("startswith(last_name," + quote("B") + ")").select("name", "id") \\
    ...     .orderby("last_name desc").top(10).count().params()
    {'$filter': "startswith(last_name,'B')", '$select': 'name,id', '$orderby': 'last_name desc', '$top': '10', '$count': 'true'}
    """

    def __init__(self) -> None:
        self._params: Dict[str, str] = {}

    def filter(self, expression: str) -> "OData":
        """``$filter``; several calls are joined with ``and``. Quote literals with :func:`quote`."""
        old = self._params.get("$filter")
        self._params["$filter"] = f"({old}) and ({expression})" if old else expression
        return self

    def select(self, *fields: str) -> "OData":
        """``$select``: the fields to return."""
        self._params["$select"] = ",".join(fields)
        return self

    def orderby(self, *keys: str) -> "OData":
        """``$orderby``: keys such as ``"last_name"`` or ``"is_favorite desc"``."""
        self._params["$orderby"] = ",".join(keys)
        return self

    def top(self, n: int) -> "OData":
        """``$top``: at most ``n`` rows (0–1000)."""
        self._params["$top"] = str(int(n))
        return self

    def skip(self, n: int) -> "OData":
        """``$skip``: leave out the first ``n`` rows."""
        self._params["$skip"] = str(int(n))
        return self

    def count(self, on: bool = True) -> "OData":
        """``$count=true``: the answer carries ``count``, the number of matches."""
        if on:
            self._params["$count"] = "true"
        else:
            self._params.pop("$count", None)
        return self

    def params(self) -> Dict[str, str]:
        """The query options as a dict."""
        return dict(self._params)

    def __str__(self) -> str:
        """The query string (spaces as ``%20``, as the provider's docs write it)."""
        return urllib.parse.urlencode(self._params, quote_via=urllib.parse.quote)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Token, revoke and discovery requests never follow redirects."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _error_from(status: int, body: bytes) -> WLError:
    """The provider's error answer as a :class:`WLError` (both shapes)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        data = None
    if isinstance(data, dict):
        err = data.get("error")
        if isinstance(err, dict) and isinstance(err.get("code"), str):
            return WLError(err["code"], str(err.get("message") or ""), status)
        if isinstance(err, str):
            return WLError(err, str(data.get("error_description") or ""), status)
    return WLError("http_error", f"the provider answered HTTP {status}", status)


class Client:
    """One app (``client_id``) at one provider (``issuer``).

    With ``client_secret`` the client is confidential and authenticates to ``/token`` and
    ``/revoke`` with HTTP Basic (``client_secret_basic``).  Without it, it is a public client.
    Both use PKCE (the provider requires it for every client).  The discovery document is
    fetched once, on first use.
    """

    def __init__(
        self,
        issuer: str,
        client_id: str,
        *,
        client_secret: Optional[str] = None,
        redirect_uri: Optional[str] = None,
        timeout: float = 10.0,
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self._secret = client_secret
        self.redirect_uri = redirect_uri
        self.timeout = timeout
        self._discovery: Optional[Dict[str, Any]] = None
        self._opener = urllib.request.build_opener(_NoRedirect())

    def __repr__(self) -> str:
        kind = "confidential" if self._secret else "public"
        return f"Client(issuer={self.issuer!r}, client_id={self.client_id!r}, {kind})"

    @property
    def confidential(self) -> bool:
        """Whether this client has a secret."""
        return self._secret is not None

    # -- HTTP ---------------------------------------------------------------------------------

    def _send(self, req: urllib.request.Request) -> Tuple[int, Dict[str, str], bytes]:
        try:
            with self._opener.open(req, timeout=self.timeout) as res:
                return res.status, dict(res.headers.items()), res.read()
        except urllib.error.HTTPError as e:
            body = e.read() if e.fp is not None else b""
            raise _error_from(e.code, body) from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise WLError("network_error", f"{req.full_url.split('?')[0]}: {reason}") from None

    def _json(self, status: int, body: bytes) -> Any:
        if not body:
            return None
        try:
            return json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise WLError("response_invalid", "the answer is not JSON", status) from None

    def discovery(self) -> Dict[str, Any]:
        """The provider's OpenID configuration (``/.well-known/openid-configuration``), cached."""
        if self._discovery is None:
            url = self.issuer + "/.well-known/openid-configuration"
            status, _, body = self._send(urllib.request.Request(url))
            doc = self._json(status, body)
            if not isinstance(doc, dict):
                raise WLError("discovery_invalid", "the discovery document is not an object", status)
            if doc.get("issuer", "").rstrip("/") != self.issuer:
                raise WLError(
                    "discovery_invalid",
                    f"the document's issuer {doc.get('issuer')!r} is not {self.issuer!r}",
                    status,
                )
            for key in ("authorization_endpoint", "token_endpoint"):
                if not isinstance(doc.get(key), str):
                    raise WLError("discovery_invalid", f"the document has no {key}", status)
            self._discovery = doc
        return self._discovery

    def _endpoint(self, key: str, fallback: str) -> str:
        value = self.discovery().get(key)
        return value if isinstance(value, str) else self.issuer + fallback

    def _form(self, url: str, form: Dict[str, str]) -> Any:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        }
        if self._secret is not None:
            # RFC 6749 §2.3.1: each part form-urlencoded, then Basic.
            pair = (
                urllib.parse.quote_plus(self.client_id)
                + ":"
                + urllib.parse.quote_plus(self._secret)
            )
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:
            form = dict(form, client_id=self.client_id)
        data = urllib.parse.urlencode(form).encode()
        req = urllib.request.Request(url, data=data, headers=headers, method="POST")
        status, _, body = self._send(req)
        return self._json(status, body)

    # -- The code flow ------------------------------------------------------------------------

    def authorization_url(
        self,
        scope: str = "wl.basic wl.offline_access",
        *,
        redirect_uri: Optional[str] = None,
        state: Optional[str] = None,
        **extra: str,
    ) -> AuthorizationRequest:
        """The URL to send the person's browser to, with a fresh ``state`` and PKCE verifier.

        Keep the returned :class:`AuthorizationRequest` (or its ``state`` and
        ``code_verifier``) in the person's session; :meth:`exchange_code` needs it.  ``extra``
        adds parameters such as ``prompt="consent"`` or ``nonce=…``.
        """
        redirect = redirect_uri or self.redirect_uri
        if not redirect:
            raise WLError("invalid_request", "no redirect_uri")
        verifier = _b64url(secrets.token_bytes(32))
        challenge = _b64url(hashlib.sha256(verifier.encode("ascii")).digest())
        state = state or _b64url(secrets.token_bytes(16))
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": redirect,
            "scope": scope,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        params.update(extra)
        base = self._endpoint("authorization_endpoint", "/authorize")
        url = base + ("&" if "?" in base else "?") + urllib.parse.urlencode(
            params, quote_via=urllib.parse.quote
        )
        return AuthorizationRequest(url=url, state=state, code_verifier=verifier)

    def exchange_code(
        self,
        code: str,
        state: str,
        pending: AuthorizationRequest,
        *,
        redirect_uri: Optional[str] = None,
    ) -> Tokens:
        """Exchanges the callback's ``code`` for tokens, after checking that the callback's
        ``state`` is the one ``pending`` was made with (``state_mismatch`` otherwise; nothing is
        sent then)."""
        if not hmac.compare_digest(state.encode(), pending.state.encode()):
            raise WLError("state_mismatch", "the callback's state is not this session's")
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri or self.redirect_uri or "",
            "code_verifier": pending.code_verifier,
        }
        data = self._form(self._endpoint("token_endpoint", "/token"), form)
        if not isinstance(data, dict):
            raise WLError("response_invalid", "the token answer is not an object", 200)
        return Tokens.from_response(data)

    def handle_callback(
        self, query: Union[str, Mapping[str, str]], pending: AuthorizationRequest
    ) -> Tokens:
        """The whole callback: reads ``code`` and ``state`` from the callback's query string
        (or a dict of its parameters), turns an ``error=…`` redirect (``access_denied`` when the
        person said no) into a :class:`WLError`, checks ``state`` and exchanges the code."""
        if isinstance(query, str):
            params = dict(urllib.parse.parse_qsl(query.lstrip("?"), keep_blank_values=True))
        else:
            params = dict(query)
        state = params.get("state", "")
        if not hmac.compare_digest(state.encode(), pending.state.encode()):
            raise WLError("state_mismatch", "the callback's state is not this session's")
        if "error" in params:
            raise WLError(params["error"], params.get("error_description", ""))
        if not params.get("code"):
            raise WLError("invalid_request", "the callback has no code")
        return self.exchange_code(params["code"], state, pending)

    def refresh(self, tokens: Union[Tokens, str]) -> Tokens:
        """New tokens from a refresh token (or :class:`Tokens` holding one).  The old refresh
        token is spent: store the returned one."""
        token = tokens.refresh_token if isinstance(tokens, Tokens) else tokens
        if not token:
            raise WLError("no_refresh_token", "no refresh token (ask for wl.offline_access)")
        data = self._form(
            self._endpoint("token_endpoint", "/token"),
            {"grant_type": "refresh_token", "refresh_token": token},
        )
        if not isinstance(data, dict):
            raise WLError("response_invalid", "the token answer is not an object", 200)
        fresh = Tokens.from_response(data)
        if fresh.refresh_token is None and isinstance(tokens, Tokens):
            fresh.refresh_token = tokens.refresh_token
        return fresh

    def ensure_fresh(self, tokens: Tokens, leeway: float = DEFAULT_LEEWAY) -> Tokens:
        """``tokens`` itself while its access token has more than ``leeway`` seconds left, else
        refreshed ones (store them)."""
        if not tokens.expired(leeway):
            return tokens
        return self.refresh(tokens)

    def revoke(self, token: Union[Tokens, str], token_type_hint: Optional[str] = None) -> None:
        """Revokes a token (RFC 7009).  Given :class:`Tokens`, revokes its refresh token (which
        ends the whole grant), else its access token."""
        if isinstance(token, Tokens):
            if token.refresh_token:
                value, token_type_hint = token.refresh_token, "refresh_token"
            else:
                value, token_type_hint = token.access_token, "access_token"
        else:
            value = token
        form = {"token": value}
        if token_type_hint:
            form["token_type_hint"] = token_type_hint
        self._form(self._endpoint("revocation_endpoint", "/revoke"), form)

    # -- The data APIs ------------------------------------------------------------------------

    def api(
        self,
        path: str,
        token: Union[Tokens, str],
        *,
        method: str = "GET",
        query: Union[OData, Mapping[str, str], None] = None,
        body: Any = None,
    ) -> Any:
        """Calls ``/v1/{path}`` (``"me"``, ``"me/friends"``…) and returns the parsed JSON.

        ``query`` is an :class:`OData` builder or a dict of parameters; ``body`` is sent as
        JSON.  Errors raise :class:`WLError` with the API's code (``request_token_expired``,
        ``insufficient_scope``, ``request_parameter_invalid``…).  Answers are JSON (do not ask
        for ``$format=xml``); redirects are not followed, so ask ``me/picture`` for its location
        with ``query={"suppress_redirects": "true"}``.
        """
        access = token.access_token if isinstance(token, Tokens) else token
        base = self.discovery().get("wl_api_base") or self.issuer + "/v1"
        url = str(base).rstrip("/") + "/" + path.lstrip("/")
        params = query.params() if isinstance(query, OData) else dict(query or {})
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(
                params, quote_via=urllib.parse.quote
            )
        headers = {"Authorization": "Bearer " + access, "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, headers=headers, method=method.upper())
        status, _, raw = self._send(req)
        return self._json(status, raw)

