"""The installed ``wlconnect`` against the real provider (``wl-server`` on loopback).

Run by ``clients/python/run_tests.py`` (``cargo xtask test``), which builds the wheel, installs
it into a fresh virtual environment and runs these tests with that environment's Python.
"""

from __future__ import annotations

import os
import sys
import time
import unittest
import urllib.parse

import wlconnect
from wlconnect import Client, OData, Tokens, WLError, quote

from provider import REDIRECT, Browser, Provider, query_of

PROVIDER: Provider


def setUpModule() -> None:
    global PROVIDER
    PROVIDER = Provider()


def tearDownModule() -> None:
    PROVIDER.stop()


class Installed(unittest.TestCase):
    def test_the_package_comes_from_the_installed_wheel(self) -> None:
        if os.environ.get("WLCONNECT_ALLOW_SOURCE") == "1":
            self.skipTest("WLCONNECT_ALLOW_SOURCE=1: running against the source tree")
        here = os.path.realpath(wlconnect.__file__)
        self.assertTrue(
            here.startswith(os.path.realpath(sys.prefix)),
            f"wlconnect is imported from {here}, not from the venv {sys.prefix}",
        )
        self.assertIn("site-packages", here)
        self.assertNotEqual(sys.prefix, sys.base_prefix, "runs inside a virtual environment")


class Unit(unittest.TestCase):
    """The parts that need no provider."""

    def test_quote_doubles_single_quotes(self) -> None:
        self.assertEqual(quote("O'Brien"), "'O''Brien'")
        self.assertEqual(quote(""), "''")
        self.assertEqual(quote("''"), "''''''")

    def test_odata_builder(self) -> None:
        q = (OData().filter("startswith(first_name," + quote("B") + ")")
             .filter("last_name ne null").select("id", "name")
             .orderby("last_name desc", "id").top(5).skip(2).count())
        self.assertEqual(q.params(), {
            "$filter": "(startswith(first_name,'B')) and (last_name ne null)",
            "$select": "id,name",
            "$orderby": "last_name desc,id",
            "$top": "5",
            "$skip": "2",
            "$count": "true",
        })
        self.assertIn("%24filter=%28startswith%28first_name%2C%27B%27%29%29%20and", str(q))

    def test_secrets_and_tokens_stay_out_of_reprs(self) -> None:
        c = Client("http://127.0.0.1:1", "abc", client_secret="wlcs_TOPSECRET",
                   redirect_uri=REDIRECT)
        self.assertNotIn("TOPSECRET", repr(c))
        t = Tokens(access_token="wlat_A", expires_at=0, refresh_token="wlrt_R", id_token="x")
        self.assertNotIn("wlat_A", repr(t))
        self.assertNotIn("wlrt_R", repr(t))
        self.assertIn("confidential", repr(c))
        public = Client("http://127.0.0.1:1", "abc", redirect_uri=REDIRECT)
        self.assertIn("public", repr(public))
        pending = wlconnect.AuthorizationRequest(url="u", state="s", code_verifier="VERIFIER")
        self.assertNotIn("VERIFIER", repr(pending))

    def test_tokens_expiry_and_round_trip(self) -> None:
        t = Tokens.from_response({"access_token": "a", "expires_in": 3600, "scope": "wl.basic",
                                  "refresh_token": "r"}, now=1000)
        self.assertEqual(t.expires_at, 4600)
        self.assertFalse(t.expired(now=4000))
        self.assertTrue(t.expired(leeway=601, now=4000))
        self.assertEqual(Tokens.from_dict(t.to_dict()), t)

    def test_unreachable_provider_is_a_network_error(self) -> None:
        with self.assertRaises(WLError) as e:
            Client("http://127.0.0.1:9", "abc", redirect_uri=REDIRECT, timeout=2).discovery()
        self.assertEqual(e.exception.code, "network_error")
        self.assertEqual(e.exception.status, 0)


class Confidential(unittest.TestCase):
    """The code flow as a confidential client (``client_secret_basic``), against the provider."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.client_id = PROVIDER.register("Python back end")
        cls.secret_id, cls.secret = PROVIDER.new_secret(cls.client_id)

    def client(self, secret: "str | None" = None) -> Client:
        return Client(PROVIDER.issuer, self.client_id, client_secret=secret or self.secret,
                      redirect_uri=REDIRECT)

    def sign_in(self, client: Client, scope: str = "wl.basic wl.offline_access"):
        pending = client.authorization_url(scope)
        callback = Browser(PROVIDER.issuer).authorize(pending.url)
        self.assertTrue(callback.startswith(REDIRECT + "?"), callback)
        return pending, query_of(callback)

    def test_discovery(self) -> None:
        doc = self.client().discovery()
        self.assertEqual(doc["issuer"], PROVIDER.issuer)
        self.assertIn("client_secret_basic", doc["token_endpoint_auth_methods_supported"])

    def test_authorization_url_carries_pkce_and_state(self) -> None:
        pending = self.client().authorization_url("wl.basic")
        q = query_of(pending.url)
        self.assertEqual(q["client_id"], self.client_id)
        self.assertEqual(q["redirect_uri"], REDIRECT)
        self.assertEqual(q["state"], pending.state)
        self.assertEqual(q["code_challenge_method"], "S256")
        self.assertNotIn(pending.code_verifier, pending.url)
        self.assertGreaterEqual(len(pending.code_verifier), 43)
        other = self.client().authorization_url("wl.basic")
        self.assertNotEqual(other.state, pending.state)

    def test_code_flow_api_odata_refresh_revoke(self) -> None:
        client = self.client()
        pending, params = self.sign_in(client)
        tokens = client.handle_callback(params, pending)
        self.assertTrue(tokens.access_token.startswith("wlat_"))
        self.assertTrue(tokens.refresh_token and tokens.refresh_token.startswith("wlrt_"))
        self.assertGreater(tokens.expires_at, time.time() + 3000)

        me = client.api("me", tokens)
        self.assertEqual(me["name"], "Alice Anderson")
        picture = client.api("me/picture", tokens, query={"suppress_redirects": "true"})
        self.assertTrue(picture["location"].startswith(PROVIDER.issuer + "/pictures/"), picture)

        everyone = client.api("me/friends", tokens, query=OData().count())
        self.assertEqual(everyone["count"], len(everyone["data"]))
        self.assertGreaterEqual(everyone["count"], 3)
        bs = client.api("me/friends", tokens, query=OData()
                        .filter("startswith(first_name," + quote("B") + ")")
                        .select("id", "first_name").orderby("first_name").top(10).count())
        self.assertEqual([r["first_name"] for r in bs["data"]], ["Bob"])
        self.assertEqual(set(bs["data"][0]), {"id", "first_name"})
        # A literal with a quote inside is escaped, and the query still parses.
        none = client.api("me/friends", tokens,
                          query=OData().filter("last_name eq " + quote("O'Brien")).count())
        self.assertEqual(none["count"], 0)
        # A bad query is the API's stable code.
        with self.assertRaises(WLError) as e:
            client.api("me/friends", tokens, query={"$filter": "first_name eq"})
        self.assertEqual((e.exception.code, e.exception.status), ("request_parameter_invalid", 400))
        with self.assertRaises(WLError) as e:
            client.api("me/contacts", tokens)
        self.assertEqual((e.exception.code, e.exception.status), ("insufficient_scope", 403))

        # ensure_fresh leaves a fresh token alone, refreshes an expiring one.
        self.assertIs(client.ensure_fresh(tokens), tokens)
        tokens.expires_at = time.time() + 5
        fresh = client.ensure_fresh(tokens)
        self.assertIsNot(fresh, tokens)
        self.assertNotEqual(fresh.refresh_token, tokens.refresh_token)
        self.assertEqual(client.api("me", fresh)["name"], "Alice Anderson")
        # The old refresh token is spent (and reusing it revokes the family).
        with self.assertRaises(WLError) as e:
            client.refresh(tokens.refresh_token or "")
        self.assertEqual((e.exception.code, e.exception.status), ("invalid_grant", 400))

        # A new grant, then revoke: the access token stops working.
        pending, params = self.sign_in(client)
        tokens = client.handle_callback(params, pending)
        client.api("me", tokens)
        client.revoke(tokens.access_token, "access_token")
        with self.assertRaises(WLError) as e:
            client.api("me", tokens)
        self.assertEqual((e.exception.code, e.exception.status), ("request_token_invalid", 401))
        client.revoke(tokens)  # the refresh token: the grant ends
        with self.assertRaises(WLError) as e:
            client.refresh(tokens)
        self.assertEqual(e.exception.code, "invalid_grant")

    def test_a_bad_secret_is_invalid_client_and_spends_nothing(self) -> None:
        good = self.client()
        pending, params = self.sign_in(good)
        bad = self.client(secret="wlcs_" + "A" * 43)
        with self.assertRaises(WLError) as e:
            bad.handle_callback(params, pending)
        self.assertEqual((e.exception.code, e.exception.status), ("invalid_client", 401))
        self.assertNotIn("AAAA", str(e.exception))
        # The code is still good for the right secret.
        tokens = good.handle_callback(params, pending)
        self.assertEqual(good.api("me", tokens)["name"], "Alice Anderson")

    def test_no_secret_for_a_confidential_app_is_invalid_client(self) -> None:
        public = Client(PROVIDER.issuer, self.client_id, redirect_uri=REDIRECT)
        pending, params = self.sign_in(public)
        with self.assertRaises(WLError) as e:
            public.handle_callback(params, pending)
        self.assertEqual((e.exception.code, e.exception.status), ("invalid_client", 401))

    def test_a_tampered_state_is_refused_before_anything_is_sent(self) -> None:
        client = self.client()
        pending, params = self.sign_in(client)
        tampered = dict(params, state=params["state"][:-1] + ("A" if params["state"][-1] != "A" else "B"))
        with self.assertRaises(WLError) as e:
            client.handle_callback(tampered, pending)
        self.assertEqual((e.exception.code, e.exception.status), ("state_mismatch", 0))
        # Nothing was sent: the code still works with the true state.
        tokens = client.handle_callback(urllib.parse.urlencode(params), pending)
        self.assertEqual(client.api("me", tokens)["name"], "Alice Anderson")

    def test_a_code_from_another_session_fails_the_pkce_check(self) -> None:
        client = self.client()
        first, params = self.sign_in(client)
        second = client.authorization_url("wl.basic")
        # An injected code with the attacker's state copied in: PKCE catches it at /token.
        forged = type(first)(url=second.url, state=params["state"], code_verifier=second.code_verifier)
        with self.assertRaises(WLError) as e:
            client.handle_callback(params, forged)
        self.assertEqual((e.exception.code, e.exception.status), ("invalid_grant", 400))

    def test_a_wrong_redirect_uri_is_refused(self) -> None:
        # At the authorize endpoint: the provider shows an error page, never redirects there.
        wrong = Client(PROVIDER.issuer, self.client_id, client_secret=self.secret,
                       redirect_uri="http://127.0.0.1:4001/evil")
        pending = wrong.authorization_url("wl.basic")
        status, headers, _ = Browser(PROVIDER.issuer).request(pending.url)
        self.assertEqual(status, 400)
        self.assertNotIn("location", headers)
        # At the token endpoint: a code issued for REDIRECT, exchanged with another URI.
        client = self.client()
        pending, params = self.sign_in(client)
        with self.assertRaises(WLError) as e:
            client.exchange_code(params["code"], params["state"], pending,
                                 redirect_uri="http://127.0.0.1:4001/evil")
        self.assertEqual((e.exception.code, e.exception.status), ("invalid_grant", 400))

    def test_access_denied_on_the_callback(self) -> None:
        client = self.client()
        pending = client.authorization_url("wl.basic")
        browser = Browser(PROVIDER.issuer)
        # Grace has not connected to this app: the consent page is shown, and she says no.
        status, _, page = browser.open_authorize(pending.url, "grace")
        self.assertEqual(status, 200)
        callback = browser.decide(page, "deny")
        with self.assertRaises(WLError) as e:
            client.handle_callback(urllib.parse.urlsplit(callback).query, pending)
        self.assertEqual(e.exception.code, "access_denied")

    def test_refresh_without_offline_access(self) -> None:
        client = self.client()
        pending, params = self.sign_in(client, "wl.basic")
        tokens = client.handle_callback(params, pending)
        self.assertIsNone(tokens.refresh_token, "no refresh token without wl.offline_access")
        with self.assertRaises(WLError) as e:
            client.refresh(tokens)
        self.assertEqual(e.exception.code, "no_refresh_token")
        # ensure_fresh on an expired token without a refresh token says so too.
        tokens.expires_at = 0
        with self.assertRaises(WLError) as e:
            client.ensure_fresh(tokens)
        self.assertEqual(e.exception.code, "no_refresh_token")


class Public(unittest.TestCase):
    """An app without a secret: the same flow with PKCE only."""

    def test_public_code_flow(self) -> None:
        client_id = PROVIDER.register("Python public app")
        client = Client(PROVIDER.issuer, client_id, redirect_uri=REDIRECT)
        pending = client.authorization_url("wl.basic wl.offline_access")
        callback = Browser(PROVIDER.issuer).authorize(pending.url)
        tokens = client.handle_callback(urllib.parse.urlsplit(callback).query, pending)
        self.assertEqual(client.api("me", tokens)["name"], "Alice Anderson")
        fresh = client.refresh(tokens)
        self.assertEqual(client.api("me", fresh)["first_name"], "Alice")
        client.revoke(fresh)


if __name__ == "__main__":
    unittest.main()
