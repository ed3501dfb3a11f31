//! `<wl-bar>`'s labels. `{}` marks where a value goes (the bar fills them in). "Sign in" and
//! "Sign out" are `<wl-signin>`'s.

use super::Locale;
use super::signin::Label;

/// Every label the bar shows. `{}` marks where a value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labels {
    /// The language of these labels.
    pub locale: Locale,
    /// The bar's name (landmark label).
    pub messenger: &'static str,
    /// Signed-out prompt.
    pub prompt: &'static str,
    /// The first-run tip.
    pub first_run: &'static str,
    /// Dismisses the tip.
    pub got_it: &'static str,
    /// Friends button / panel title.
    pub friends: &'static str,
    /// Online group.
    pub online: &'static str,
    /// Friends online on this site now (the hub's `here`), the first group.
    pub here_now: &'static str,
    /// Offline group.
    pub offline_group: &'static str,
    /// Search box label.
    pub search: &'static str,
    /// No friend matches.
    pub no_match: &'static str,
    /// Own presence selector label.
    pub your_status: &'static str,
    /// Presence names.
    pub available: &'static str,
    /// Busy.
    pub busy: &'static str,
    /// Away.
    pub away: &'static str,
    /// Appear offline.
    pub appear_offline: &'static str,
    /// Offline.
    pub offline: &'static str,
    /// Share button.
    pub share: &'static str,
    /// Share panel title.
    pub share_page: &'static str,
    /// Friend choice legend.
    pub share_with: &'static str,
    /// Message field label.
    pub share_message: &'static str,
    /// Shared confirmation: `{}` friends.
    pub shared: &'static str,
    /// No friend chosen.
    pub choose_friend: &'static str,
    /// Sharing failed: `{}` is the code.
    pub share_failed: &'static str,
    /// Activities button.
    pub activities: &'static str,
    /// Activities panel title.
    pub recent: &'static str,
    /// No activities.
    pub no_activities: &'static str,
    /// Loading.
    pub loading: &'static str,
    /// Activities could not load: `{}` is the code.
    pub activities_failed: &'static str,
    /// Activity verbs.
    pub shared_verb: &'static str,
    /// Posted (any other activity).
    pub posted_verb: &'static str,
    /// "via <app>" under an activity: `{}` is the app's name (a link to its site).
    pub via: &'static str,
    /// An action link's label when the activity gives none.
    pub open_action: &'static str,
    /// Minimise window.
    pub minimise: &'static str,
    /// Close window: `{}` is the name.
    pub close: &'static str,
    /// Send button.
    pub send: &'static str,
    /// Text box label: `{}` is the name.
    pub message_to: &'static str,
    /// Typing indicator: `{}` is the name.
    pub typing: &'static str,
    /// Own message states.
    pub sending: &'static str,
    /// Sent.
    pub sent: &'static str,
    /// Delivered.
    pub delivered: &'static str,
    /// Not sent: `{}` is the code.
    pub failed: &'static str,
    /// Load older messages.
    pub earlier: &'static str,
    /// Unread count: `{}`.
    pub unread: &'static str,
    /// Conversation window label: `{}` is the name.
    pub conversation: &'static str,
    /// Announcement: `{}` name, `{}` text.
    pub new_message: &'static str,
    /// You (own messages).
    pub you: &'static str,
    /// Connecting.
    pub connecting: &'static str,
    /// Reconnecting.
    pub reconnecting: &'static str,
    /// Missing `wl.messenger`.
    pub needs_consent: &'static str,
    /// Grant button.
    pub allow: &'static str,
    /// Hub unavailable: `{}` code.
    pub unavailable: &'static str,
    /// Empty conversation.
    pub say_hello: &'static str,
}

const EN: Labels = Labels {
    locale: Locale::En,
    messenger: "Messenger",
    prompt: "Sign in to chat with your friends and share this page.",
    first_run: "New: your friends, chats and sharing stay with you on every page of this site.",
    got_it: "Got it",
    friends: "Friends",
    online: "Online",
    here_now: "Here now",
    offline_group: "Offline",
    search: "Search friends",
    no_match: "No friend matches.",
    your_status: "Your status",
    available: "Available",
    busy: "Busy",
    away: "Away",
    appear_offline: "Appear offline",
    offline: "Offline",
    share: "Share",
    share_page: "Share this page",
    share_with: "Share with",
    share_message: "Message (optional)",
    shared: "Shared with {} friend(s).",
    choose_friend: "Choose at least one friend.",
    share_failed: "Could not share ({}).",
    activities: "Activities",
    recent: "Friends' recent activities",
    no_activities: "No recent activities.",
    loading: "Loading…",
    activities_failed: "Could not load activities ({}).",
    shared_verb: "shared",
    posted_verb: "posted",
    via: "via {}",
    open_action: "Open",
    minimise: "Minimise",
    close: "Close conversation with {}",
    send: "Send",
    message_to: "Message to {}",
    typing: "{} is typing…",
    sending: "Sending…",
    sent: "Sent",
    delivered: "Delivered",
    failed: "Not sent ({})",
    earlier: "Load earlier messages",
    unread: "{} unread",
    conversation: "Conversation with {}",
    new_message: "New message from {}: {}",
    you: "You",
    connecting: "Connecting…",
    reconnecting: "Connection lost. Reconnecting…",
    needs_consent: "Chat needs your permission.",
    allow: "Turn on chat",
    unavailable: "Chat is unavailable ({}).",
    say_hello: "No messages yet. Say hello!",
};

const FR: Labels = Labels {
    locale: Locale::Fr,
    messenger: "Messenger",
    prompt: "Connectez-vous pour discuter avec vos amis et partager cette page.",
    first_run: "Nouveau : vos amis, vos conversations et le partage vous suivent sur chaque page de ce site.",
    got_it: "Compris",
    friends: "Amis",
    online: "En ligne",
    here_now: "Ici maintenant",
    offline_group: "Hors ligne",
    search: "Rechercher des amis",
    no_match: "Aucun ami ne correspond.",
    your_status: "Votre statut",
    available: "Disponible",
    busy: "Occupé",
    away: "Absent",
    appear_offline: "Apparaître hors ligne",
    offline: "Hors ligne",
    share: "Partager",
    share_page: "Partager cette page",
    share_with: "Partager avec",
    share_message: "Message (facultatif)",
    shared: "Partagé avec {} ami(s).",
    choose_friend: "Choisissez au moins un ami.",
    share_failed: "Échec du partage ({}).",
    activities: "Activités",
    recent: "Activités récentes de vos amis",
    no_activities: "Aucune activité récente.",
    loading: "Chargement…",
    activities_failed: "Impossible de charger les activités ({}).",
    shared_verb: "a partagé",
    posted_verb: "a publié",
    via: "via {}",
    open_action: "Ouvrir",
    minimise: "Réduire",
    close: "Fermer la conversation avec {}",
    send: "Envoyer",
    message_to: "Message à {}",
    typing: "{} écrit…",
    sending: "Envoi…",
    sent: "Envoyé",
    delivered: "Remis",
    failed: "Non envoyé ({})",
    earlier: "Messages précédents",
    unread: "{} non lu(s)",
    conversation: "Conversation avec {}",
    new_message: "Nouveau message de {} : {}",
    you: "Vous",
    connecting: "Connexion…",
    reconnecting: "Connexion perdue. Reconnexion…",
    needs_consent: "La discussion a besoin de votre autorisation.",
    allow: "Activer la discussion",
    unavailable: "Discussion indisponible ({}).",
    say_hello: "Aucun message. Dites bonjour !",
};

const DE: Labels = Labels {
    locale: Locale::De,
    messenger: "Messenger",
    prompt: "Melden Sie sich an, um mit Freunden zu chatten und diese Seite zu teilen.",
    first_run: "Neu: Ihre Freunde, Chats und das Teilen begleiten Sie auf jeder Seite dieser Website.",
    got_it: "Verstanden",
    friends: "Freunde",
    online: "Online",
    here_now: "Gerade hier",
    offline_group: "Offline",
    search: "Freunde suchen",
    no_match: "Kein Freund gefunden.",
    your_status: "Ihr Status",
    available: "Verfügbar",
    busy: "Beschäftigt",
    away: "Abwesend",
    appear_offline: "Offline erscheinen",
    offline: "Offline",
    share: "Teilen",
    share_page: "Diese Seite teilen",
    share_with: "Teilen mit",
    share_message: "Nachricht (optional)",
    shared: "Mit {} Freund(en) geteilt.",
    choose_friend: "Wählen Sie mindestens einen Freund.",
    share_failed: "Teilen fehlgeschlagen ({}).",
    activities: "Aktivitäten",
    recent: "Neueste Aktivitäten Ihrer Freunde",
    no_activities: "Keine neuen Aktivitäten.",
    loading: "Wird geladen…",
    activities_failed: "Aktivitäten konnten nicht geladen werden ({}).",
    shared_verb: "hat geteilt",
    posted_verb: "hat gepostet",
    via: "über {}",
    open_action: "Öffnen",
    minimise: "Minimieren",
    close: "Unterhaltung mit {} schließen",
    send: "Senden",
    message_to: "Nachricht an {}",
    typing: "{} schreibt…",
    sending: "Wird gesendet…",
    sent: "Gesendet",
    delivered: "Zugestellt",
    failed: "Nicht gesendet ({})",
    earlier: "Frühere Nachrichten laden",
    unread: "{} ungelesen",
    conversation: "Unterhaltung mit {}",
    new_message: "Neue Nachricht von {}: {}",
    you: "Sie",
    connecting: "Verbinde…",
    reconnecting: "Verbindung verloren. Verbinde erneut…",
    needs_consent: "Der Chat braucht Ihre Zustimmung.",
    allow: "Chat einschalten",
    unavailable: "Chat nicht verfügbar ({}).",
    say_hello: "Noch keine Nachrichten. Sagen Sie Hallo!",
};

const ES: Labels = Labels {
    locale: Locale::Es,
    messenger: "Messenger",
    prompt: "Inicie sesión para chatear con sus amigos y compartir esta página.",
    first_run: "Novedad: sus amigos, sus conversaciones y el uso compartido le acompañan en cada página de este sitio.",
    got_it: "Entendido",
    friends: "Amigos",
    online: "En línea",
    here_now: "Aquí ahora",
    offline_group: "Sin conexión",
    search: "Buscar amigos",
    no_match: "Ningún amigo coincide.",
    your_status: "Su estado",
    available: "Disponible",
    busy: "Ocupado",
    away: "Ausente",
    appear_offline: "Aparecer sin conexión",
    offline: "Sin conexión",
    share: "Compartir",
    share_page: "Compartir esta página",
    share_with: "Compartir con",
    share_message: "Mensaje (opcional)",
    shared: "Compartido con {} amigo(s).",
    choose_friend: "Elija al menos un amigo.",
    share_failed: "No se pudo compartir ({}).",
    activities: "Actividades",
    recent: "Actividades recientes de sus amigos",
    no_activities: "No hay actividades recientes.",
    loading: "Cargando…",
    activities_failed: "No se pudieron cargar las actividades ({}).",
    shared_verb: "compartió",
    posted_verb: "publicó",
    via: "vía {}",
    open_action: "Abrir",
    minimise: "Minimizar",
    close: "Cerrar la conversación con {}",
    send: "Enviar",
    message_to: "Mensaje para {}",
    typing: "{} está escribiendo…",
    sending: "Enviando…",
    sent: "Enviado",
    delivered: "Entregado",
    failed: "No enviado ({})",
    earlier: "Cargar mensajes anteriores",
    unread: "{} sin leer",
    conversation: "Conversación con {}",
    new_message: "Nuevo mensaje de {}: {}",
    you: "Usted",
    connecting: "Conectando…",
    reconnecting: "Conexión perdida. Reconectando…",
    needs_consent: "El chat necesita su permiso.",
    allow: "Activar el chat",
    unavailable: "Chat no disponible ({}).",
    say_hello: "Aún no hay mensajes. ¡Salude!",
};

const IT: Labels = Labels {
    locale: Locale::It,
    messenger: "Messenger",
    prompt: "Accedi per chattare con i tuoi amici e condividere questa pagina.",
    first_run: "Novità: i tuoi amici, le chat e la condivisione ti seguono in ogni pagina di questo sito.",
    got_it: "Ho capito",
    friends: "Amici",
    online: "Online",
    here_now: "Qui adesso",
    offline_group: "Offline",
    search: "Cerca amici",
    no_match: "Nessun amico corrisponde.",
    your_status: "Il tuo stato",
    available: "Disponibile",
    busy: "Occupato",
    away: "Assente",
    appear_offline: "Mostrati offline",
    offline: "Offline",
    share: "Condividi",
    share_page: "Condividi questa pagina",
    share_with: "Condividi con",
    share_message: "Messaggio (facoltativo)",
    shared: "Condiviso con {} amico/i.",
    choose_friend: "Scegli almeno un amico.",
    share_failed: "Impossibile condividere ({}).",
    activities: "Attività",
    recent: "Attività recenti dei tuoi amici",
    no_activities: "Nessuna attività recente.",
    loading: "Caricamento…",
    activities_failed: "Impossibile caricare le attività ({}).",
    shared_verb: "ha condiviso",
    posted_verb: "ha pubblicato",
    via: "tramite {}",
    open_action: "Apri",
    minimise: "Riduci a icona",
    close: "Chiudi la conversazione con {}",
    send: "Invia",
    message_to: "Messaggio a {}",
    typing: "{} sta scrivendo…",
    sending: "Invio in corso…",
    sent: "Inviato",
    delivered: "Consegnato",
    failed: "Non inviato ({})",
    earlier: "Carica messaggi precedenti",
    unread: "{} non letti",
    conversation: "Conversazione con {}",
    new_message: "Nuovo messaggio da {}: {}",
    you: "Tu",
    connecting: "Connessione…",
    reconnecting: "Connessione persa. Riconnessione…",
    needs_consent: "La chat ha bisogno della tua autorizzazione.",
    allow: "Attiva la chat",
    unavailable: "Chat non disponibile ({}).",
    say_hello: "Ancora nessun messaggio. Saluta!",
};

/// The labels for a BCP 47 tag (primary subtag matched, English otherwise).
pub fn labels(locale: Option<&str>) -> &'static Labels {
    of(locale.and_then(Locale::from_tag).unwrap_or(Locale::En))
}

/// The labels in `locale`.
pub fn of(locale: Locale) -> &'static Labels {
    match locale {
        Locale::En => &EN,
        Locale::Fr => &FR,
        Locale::De => &DE,
        Locale::Es => &ES,
        Locale::It => &IT,
    }
}

impl Labels {
    /// The BCP 47 tag of these labels (the bar's `lang`).
    pub fn lang(&self) -> &'static str {
        self.locale.tag()
    }

    /// The sign-in button's label (the kit's, as on `<wl-signin>`).
    pub fn sign_in(&self) -> &'static str {
        self.locale.text(Label::SignIn)
    }

    /// The sign-out button's label (the kit's, as on `<wl-signin>`).
    pub fn sign_out(&self) -> &'static str {
        self.locale.text(Label::SignOut)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_by_primary_subtag() {
        assert_eq!(labels(Some("fr-CA")).lang(), "fr");
        assert_eq!(labels(Some("DE")).lang(), "de");
        assert_eq!(labels(Some("es-419")).lang(), "es");
        assert_eq!(labels(Some("it")).lang(), "it");
        assert_eq!(labels(Some("pt-BR")).lang(), "en");
        assert_eq!(labels(None).lang(), "en");
        assert_eq!(labels(Some("fr")).sign_in(), "Se connecter");
        assert_eq!(labels(Some("de")).sign_out(), "Abmelden");
    }

    #[test]
    fn every_locale_has_a_table() {
        for l in Locale::ALL {
            assert_eq!(of(l).locale, l);
            assert!(!of(l).prompt.is_empty());
        }
    }
}
