// Type definitions for wl-connect's `window.WL` (docs/loader.md is the full reference).
// Load the bootstrap with <script src="/wl.js" data-client-id="…" data-authority="…"></script>.

export {};

declare global {
  interface Window {
    /** The wl-connect API, defined as soon as wl.js has run. */
    WL: WL.Api;
    /** Called once when the loader's core is ready (Live Connect). */
    wlAsyncInit?: () => void;
  }

  const WL: WL.Api;

  interface HTMLElementTagNameMap {
    "wl-app": HTMLElement;
    "wl-signin": HTMLElement;
    "wl-userinfo": HTMLElement;
    "wl-bar": HTMLElement;
  }

  /** The controls' events (they bubble and cross shadow roots, so a page may listen anywhere). */
  interface WLElementEventMap {
    "wl-login": CustomEvent<WL.Session>;
    "wl-logout": CustomEvent<null>;
    "wl-error": CustomEvent<WL.Error>;
  }
  interface HTMLElementEventMap extends WLElementEventMap {}
  interface DocumentEventMap extends WLElementEventMap {}
  interface WindowEventMap extends WLElementEventMap {}

  namespace WL {
    /** Options of `WL.init` (Live Connect names plus `authority`, `storage`, `mode`, `timeout`). */
    interface InitOptions {
      /** The site's OAuth client id (required). */
      client_id: string;
      /** The OpenID Connect provider (issuer) URL; discovery finds the endpoints (required). */
      authority: string;
      /** Scopes asked for at sign-in (space- or comma-separated, or an array); `openid` is always added. Default `wl.signin`. */
      scope?: string | string[];
      /** Where the provider returns: the site's `callback.html`. Default: `callback.html` beside wl.js on this origin. Relative URLs are resolved against the page's base URL, as every URL in the page is (`<base href>`, else the page's own). */
      redirect_uri?: string;
      /** Only `"code"` is supported (authorization code + PKCE); `"token"` is accepted with a warning. */
      response_type?: "code" | "token";
      /** Also write errors and warnings to the console (default `true`). */
      logging?: boolean;
      /** Check the login status at init and fire `auth.statusChange` (default `true`). */
      status?: boolean;
      /** Where the session is kept (default `"session"`). */
      storage?: "memory" | "session" | "local";
      /** Popup (default) or full-page redirect. */
      mode?: "popup" | "redirect";
      /** Milliseconds a sign-in may take before it fails with `timed_out` (default 600000). */
      timeout?: number;
    }

    /** A signed-in session. */
    interface Session {
      access_token: string;
      token_type: "Bearer";
      /** The scopes granted. */
      scope: string[];
      /** Seconds until the access token expires. */
      expires_in: number;
      /** When the access token expires, in seconds since the epoch. */
      expires: number;
      /** The OpenID Connect ID token. */
      id_token?: string;
      /** The person's id (`sub`). */
      user_id?: string;
    }

    type Status = "connected" | "notConnected" | "unknown";

    interface LoginStatus {
      status: Status;
      session: Session | null;
    }

    /** Stable error codes (promises reject with `{ code, message }`). */
    type ErrorCode =
      | "access_denied"
      | "user_canceled"
      | "request_canceled"
      | "timed_out"
      | "connection_failed"
      | "integrity_failed"
      | "invalid_request"
      | "popup_blocked"
      | "invalid_state"
      | "invalid_token"
      | "insufficient_scope"
      | (string & {});

    interface Error {
      code: ErrorCode;
      message: string;
      /** With `insufficient_scope`: the scope(s) to ask for with `WL.login`. */
      scope?: string;
    }

    interface LoginOptions {
      /** Extra scopes; only those the session lacks are asked for. */
      scope?: string | string[];
      /** Echoed by Live Connect; accepted for compatibility. */
      state?: string;
      /** Fall back to a full-page redirect when the popup is blocked. */
      fallback?: "redirect";
      /** Use a full-page redirect for this sign-in. */
      mode?: "popup" | "redirect";
    }

    interface ApiOptions {
      /** A path under the provider's API base, e.g. `"me"`, `"me/contacts?$top=5"`. */
      path: string;
      method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
      /** Sent as JSON (a string is sent as is). */
      body?: unknown;
      /** Query options; OData names may omit the `$`: `{ filter: "…", top: 5, select: ["id", "name"] }`. */
      query?: Record<string, string | number | boolean | string[]>;
    }

    interface UiOptions {
      name: "signin" | "userinfo";
      /** The element (or its id) the control is appended to. */
      element: string | HTMLElement;
      brand?: string;
      type?: "signin" | "login" | "connect" | "custom";
      theme?: "blue" | "white" | "dark" | "light";
      size?: "small" | "medium" | "large";
      shape?: "rect" | "pill";
      sign_in_text?: string;
      sign_out_text?: string;
      scope?: string | string[];
      locale?: string;
      layout?: "compact" | "full";
      onloggedin?: (session: Session) => void;
      onloggedout?: () => void;
      onerror?: (error: Error) => void;
      [attribute: string]: unknown;
    }

    /** What discovery says about the provider (`WL.getProvider()`). */
    interface Provider {
      /** The issuer URL. */
      issuer: string;
      /** Where `WL.api` paths are resolved (`wl_api_base`); absent when the provider has no
       *  Live-style data API (then `WL.api` answers only `"me"`, from userinfo). */
      api_base?: string;
      /** The messenger hub's WebSocket URL (`wl_messenger_hub`), `null` when the provider has none. */
      messenger_hub: string | null;
    }

    interface LogEntry {
      level: "error" | "warning" | "info";
      code?: ErrorCode;
      message: string;
    }

    interface EventMap {
      "auth.login": Session;
      "auth.logout": null;
      "auth.sessionChange": Session | null;
      "auth.statusChange": LoginStatus;
      "wl.log": LogEntry;
    }

    /** A person's presence as friends see it. */
    type Presence = "available" | "busy" | "away" | "offline";
    /** The statuses a person may choose for themself (`appear_offline` is shown as `offline`). */
    type OwnStatus = "available" | "busy" | "away" | "appear_offline";

    namespace Messenger {
      /** A friend (`friends()`, the `friends` event). */
      interface Friend {
        id: string;
        name: string;
        /** An absolute URL anyone may load, or `null`. */
        picture: string | null;
        presence: Presence;
        /** Online on this site now ("here now"). */
        here: boolean;
      }
      /** The signed-in person (`me()`); `presence` is their own choice. */
      interface Me {
        id: string;
        name: string;
        picture: string | null;
        presence: OwnStatus;
      }
      /** A message (the `message` event). */
      interface Message {
        id: number;
        from: string;
        to: string;
        text: string;
        /** RFC 3339. */
        at: string;
        /** Sent by the signed-in person (from another tab or device, or a `<wl-bar>` on the page). */
        mine: boolean;
        client_id?: string;
      }
      /** A message as REST gives it (`history()`). */
      interface StoredMessage {
        id: number;
        from: string;
        to: string;
        text: string;
        sent_at: string;
        status: "sent" | "delivered";
        client_id?: string;
      }
      /** The connection (`state()`, the `state` event). */
      interface State {
        state: "idle" | "connecting" | "online" | "reconnecting" | "needs_consent" | "failed";
        /** With `needs_consent` (`insufficient_scope`) and `failed` (`no_hub`, `unauthorized`, …). */
        code?: string;
      }
      /** What `send()` resolves with. */
      interface Sent {
        id: number;
        to: string;
        at: string;
        client_id: string;
        /** `delivered`: it reached the friend; `sent`: stored, the friend is offline (or no `delivered` within 10 s). */
        status: "sent" | "delivered";
      }
      interface Conversation {
        friend_id: string;
        last_message: StoredMessage;
        undelivered: number;
      }
      interface EventMap {
        message: Message;
        typing: { from: string };
        /** A friend's presence (`id: "me"` when the page chose its own). */
        presence: { id: string; presence: Presence | OwnStatus };
        delivered: { id: number; to: string };
        friends: Friend[];
        state: State;
      }
      /** `WL.messenger`: the page's one hub client (shared with every `<wl-bar>`). Every method
       *  returns a promise; rejections are `{ code, message }` (docs/loader.md, "WL.messenger"). */
      interface Api {
        /** Resolves once online; rejects `not_signed_in`, `insufficient_scope`, `no_hub`, `unauthorized`, `timed_out`. */
        connect(): Promise<State>;
        /** The page no longer wants the connection (a `<wl-bar>` keeps it). */
        disconnect(): Promise<void>;
        state(): Promise<State>;
        me(): Promise<Me | null>;
        /** The person's own status. */
        presence(): Promise<OwnStatus>;
        /** Rejects `invalid_request` for another value. */
        setPresence(status: OwnStatus): Promise<OwnStatus>;
        friends(options?: { online?: boolean }): Promise<Friend[]>;
        conversations(): Promise<{ data: Conversation[] }>;
        /** Oldest first; `before` a message id, `limit` 1–100 (default 50). */
        history(friendId: string, options?: { before?: number; limit?: number }): Promise<{ data: StoredMessage[]; more: boolean }>;
        /** Rejects with the hub's code (`not_friends`, `message_too_long`, `rate_limited`, …),
         *  `message_empty`, `not_connected` or `timed_out`: never hangs. */
        send(friendId: string, text: string): Promise<Sent>;
        /** Tells the friend the person is typing (throttled to one frame every 3 s). */
        typing(friendId: string): Promise<boolean>;
        on<K extends keyof EventMap>(event: K, fn: (arg: EventMap[K]) => void): Promise<void>;
        off<K extends keyof EventMap>(event: K, fn?: (arg: EventMap[K]) => void): Promise<void>;
      }
    }

    interface Api {
      init(options: InitOptions): Promise<LoginStatus>;
      /** Call inside a click handler: the popup is opened synchronously. */
      login(options?: LoginOptions): Promise<LoginStatus>;
      logout(): Promise<null>;
      /** Synchronous; `null` when signed out or expired. Never includes the refresh token: the
       *  loader keeps it to itself (docs/loader.md, "Why `WL.getSession()` has no `refresh_token`"). */
      getSession(): Session | null;
      getLoginStatus(): Promise<LoginStatus>;
      /** The provider as discovery describes it; rejects `invalid_request` before configuration. */
      getProvider(): Promise<Provider>;
      api<T = unknown>(options: ApiOptions | string): Promise<T>;
      ui(options: UiOptions): Promise<HTMLElement>;
      /** Messenger as data, for a chat UI of the site's own (loads the bar's module on first use). */
      messenger: Messenger.Api;
      Event: {
        subscribe<K extends keyof EventMap>(name: K, fn: (arg: EventMap[K]) => void): void;
        unsubscribe<K extends keyof EventMap>(name: K, fn?: (arg: EventMap[K]) => void): void;
      };
    }
  }
}
