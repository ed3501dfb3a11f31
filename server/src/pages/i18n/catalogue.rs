//! The provider pages' message catalogue: every visible string, in every language. One entry per
//! message; `{name}` marks a hole [`super::fill`] or [`super::rich`] fills. To add a message, add
//! an entry (all five languages, or it does not compile) with a doc line; see the module docs of
//! [`super`].

use super::Locale;

macro_rules! catalogue {
    ($( $(#[doc = $doc:literal])+ $key:ident {
        en: $en:literal, fr: $fr:literal, de: $de:literal, es: $es:literal, it: $it:literal $(,)?
    } )*) => {
        /// A message of the provider's pages.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum M {
            $( $(#[doc = $doc])+ $key, )*
        }

        impl M {
            /// Every message, in the catalogue's order.
            pub const ALL: &[M] = &[$(M::$key,)*];

            /// The message in `locale`.
            pub fn text(self, locale: Locale) -> &'static str {
                match locale {
                    Locale::En => match self { $(M::$key => $en,)* },
                    Locale::Fr => match self { $(M::$key => $fr,)* },
                    Locale::De => match self { $(M::$key => $de,)* },
                    Locale::Es => match self { $(M::$key => $es,)* },
                    Locale::It => match self { $(M::$key => $it,)* },
                    Locale::Pseudo => super::PSEUDO_TEXT[self as usize].as_str(),
                }
            }
        }
    };
}

catalogue! {
    /// The short month names, space-separated, January first.
    MonthsShort {
        en: "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
        fr: "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.",
        de: "Jan. Feb. März Apr. Mai Juni Juli Aug. Sept. Okt. Nov. Dez.",
        es: "ene. feb. mar. abr. may. jun. jul. ago. sept. oct. nov. dic.",
        it: "gen feb mar apr mag giu lug ago set ott nov dic",
    }
    /// A date: day `{d}`, month name `{m}`, year `{y}`.
    DateFormat { en: "{d} {m} {y}", fr: "{d} {m} {y}", de: "{d}. {m} {y}", es: "{d} {m} {y}", it: "{d} {m} {y}" }
    /// A date `{date}` and a time `{time}` (UTC).
    DateTimeFormat {
        en: "{date}, {time} UTC",
        fr: "{date} à {time} UTC",
        de: "{date}, {time} Uhr UTC",
        es: "{date}, {time} UTC",
        it: "{date}, ore {time} UTC",
    }
    /// The title suffix of every page (after the page's own title).
    TitleSuffix { en: "{title} · wl-connect", fr: "{title} · wl-connect", de: "{title} · wl-connect", es: "{title} · wl-connect", it: "{title} · wl-connect" }

    // — Sign-in —
    /// The sign-in page's title, heading and button.
    SignIn { en: "Sign in", fr: "Connexion", de: "Anmelden", es: "Iniciar sesión", it: "Accedi" }
    /// Under the sign-in heading when an app asked: `{app}` is its name.
    SignInToContinue {
        en: "to continue to {app}",
        fr: "pour continuer vers {app}",
        de: "um zu {app} weiterzugehen",
        es: "para continuar en {app}",
        it: "per continuare su {app}",
    }
    /// Under the sign-in heading without an app.
    SignInToManage {
        en: "to manage your wl-connect account",
        fr: "pour gérer votre compte wl-connect",
        de: "um Ihr wl-connect-Konto zu verwalten",
        es: "para administrar tu cuenta de wl-connect",
        it: "per gestire il tuo account wl-connect",
    }
    /// The username field.
    Username { en: "Username", fr: "Nom d’utilisateur", de: "Benutzername", es: "Nombre de usuario", it: "Nome utente" }
    /// The password field.
    Password { en: "Password", fr: "Mot de passe", de: "Passwort", es: "Contraseña", it: "Password" }
    /// The demo hint's bold start.
    DemoProvider { en: "Demo provider.", fr: "Fournisseur de démonstration.", de: "Demo-Anbieter.", es: "Proveedor de demostración.", it: "Provider dimostrativo." }
    /// The demo hint: `{alice}`, `{bob}`, `{demo}` are code.
    DemoHint {
        en: "Sign in as {alice}, {bob} or any other demo person — every password is {demo}.",
        fr: "Connectez-vous en tant que {alice}, {bob} ou toute autre personne de démonstration — le mot de passe est toujours {demo}.",
        de: "Melden Sie sich als {alice}, {bob} oder eine andere Demo-Person an — jedes Passwort lautet {demo}.",
        es: "Inicia sesión como {alice}, {bob} o cualquier otra persona de demostración: todas las contraseñas son {demo}.",
        it: "Accedi come {alice}, {bob} o qualsiasi altra persona dimostrativa: tutte le password sono {demo}.",
    }
    /// A wrong username or password.
    WrongPassword {
        en: "That username and password don't match. Check them and try again.",
        fr: "Ce nom d’utilisateur et ce mot de passe ne correspondent pas. Vérifiez-les et réessayez.",
        de: "Benutzername und Passwort passen nicht zusammen. Prüfen Sie beides und versuchen Sie es erneut.",
        es: "El nombre de usuario y la contraseña no coinciden. Revísalos y vuelve a intentarlo.",
        it: "Nome utente e password non corrispondono. Controllali e riprova.",
    }
    /// A username over `{max}` characters.
    UsernameTooLong {
        en: "That username is too long: a username has at most {max} characters.",
        fr: "Ce nom d’utilisateur est trop long : il compte au plus {max} caractères.",
        de: "Dieser Benutzername ist zu lang: Ein Benutzername hat höchstens {max} Zeichen.",
        es: "Ese nombre de usuario es demasiado largo: tiene como máximo {max} caracteres.",
        it: "Questo nome utente è troppo lungo: può avere al massimo {max} caratteri.",
    }
    /// A password over `{max}` characters.
    PasswordTooLong {
        en: "That password is too long: a password has at most {max} characters.",
        fr: "Ce mot de passe est trop long : il compte au plus {max} caractères.",
        de: "Dieses Passwort ist zu lang: Ein Passwort hat höchstens {max} Zeichen.",
        es: "Esa contraseña es demasiado larga: tiene como máximo {max} caracteres.",
        it: "Questa password è troppo lunga: può avere al massimo {max} caratteri.",
    }
    /// Too many failed attempts on this account or address: wait `{secs}` seconds.
    TooManyAttempts {
        en: "Too many failed sign-in attempts. For your security, wait {secs} seconds and try again.",
        fr: "Trop de tentatives de connexion échouées. Pour votre sécurité, attendez {secs} secondes et réessayez.",
        de: "Zu viele fehlgeschlagene Anmeldeversuche. Warten Sie zu Ihrer Sicherheit {secs} Sekunden und versuchen Sie es erneut.",
        es: "Demasiados intentos fallidos de inicio de sesión. Por tu seguridad, espera {secs} segundos y vuelve a intentarlo.",
        it: "Troppi tentativi di accesso non riusciti. Per la tua sicurezza, attendi {secs} secondi e riprova.",
    }
    /// Too many failed attempts on the whole provider: wait `{secs}` seconds.
    TooManyAttemptsGlobal {
        en: "Too many failed sign-in attempts on the provider right now. Wait {secs} seconds and try again.",
        fr: "Trop de tentatives de connexion échouées sur le fournisseur en ce moment. Attendez {secs} secondes et réessayez.",
        de: "Gerade gibt es zu viele fehlgeschlagene Anmeldeversuche beim Anbieter. Warten Sie {secs} Sekunden und versuchen Sie es erneut.",
        es: "Hay demasiados intentos fallidos de inicio de sesión en el proveedor ahora mismo. Espera {secs} segundos y vuelve a intentarlo.",
        it: "Al momento ci sono troppi tentativi di accesso non riusciti sul provider. Attendi {secs} secondi e riprova.",
    }
    /// The provider is busy checking passwords.
    Busy {
        en: "The provider is busy. Wait a moment and try again.",
        fr: "Le fournisseur est occupé. Patientez un instant et réessayez.",
        de: "Der Anbieter ist ausgelastet. Warten Sie einen Moment und versuchen Sie es erneut.",
        es: "El proveedor está ocupado. Espera un momento y vuelve a intentarlo.",
        it: "Il provider è occupato. Attendi un momento e riprova.",
    }
    /// A message's stable code, after it: `{code}`.
    ErrorCodeSuffix {
        en: "(Error code: {code})",
        fr: "(Code d’erreur : {code})",
        de: "(Fehlercode: {code})",
        es: "(Código de error: {code})",
        it: "(Codice di errore: {code})",
    }

    // — Consent —
    /// The consent screen's title.
    AllowAccess { en: "Allow access?", fr: "Autoriser l’accès ?", de: "Zugriff erlauben?", es: "¿Permitir el acceso?", it: "Consentire l’accesso?" }
    /// The consent heading: `{app}` is the app's name, in bold.
    WouldLikeToConnect {
        en: "{app} would like to connect to your account",
        fr: "{app} souhaite se connecter à votre compte",
        de: "{app} möchte sich mit Ihrem Konto verbinden",
        es: "{app} quiere conectarse a tu cuenta",
        it: "{app} vorrebbe collegarsi al tuo account",
    }
    /// The sign-out link on the consent screen.
    NotYou { en: "Not you?", fr: "Ce n’est pas vous ?", de: "Nicht Sie?", es: "¿No eres tú?", it: "Non sei tu?" }
    /// Before the scope list: `{app}`.
    ThisWillAllow {
        en: "This will allow {app} to:",
        fr: "Cela permettra à {app} de :",
        de: "Damit darf {app}:",
        es: "Esto permitirá a {app}:",
        it: "Questo consentirà a {app} di:",
    }
    /// Before the scope list when the app already has others: `{app}`.
    ThisWillAlsoAllow {
        en: "This will also allow {app} to:",
        fr: "Cela permettra aussi à {app} de :",
        de: "Damit darf {app} außerdem:",
        es: "Esto también permitirá a {app}:",
        it: "Questo consentirà anche a {app} di:",
    }
    /// The remember checkbox.
    RememberConnection {
        en: "Remember this connection",
        fr: "Mémoriser cette connexion",
        de: "Diese Verbindung merken",
        es: "Recordar esta conexión",
        it: "Ricorda questo collegamento",
    }
    /// Under the remember checkbox.
    RememberHint {
        en: "Untick to allow access for 3 hours only.",
        fr: "Décochez pour n’autoriser l’accès que pendant 3 heures.",
        de: "Deaktivieren Sie dies, um den Zugriff nur für 3 Stunden zu erlauben.",
        es: "Desmárcalo para permitir el acceso solo durante 3 horas.",
        it: "Deseleziona per consentire l’accesso solo per 3 ore.",
    }
    /// The deny button.
    Deny { en: "Deny", fr: "Refuser", de: "Ablehnen", es: "Denegar", it: "Nega" }
    /// The allow button.
    Allow { en: "Allow", fr: "Autoriser", de: "Erlauben", es: "Permitir", it: "Consenti" }
    /// The app's documents, both: `{app}`, `{terms}`, `{privacy}` (links).
    ReadTermsAndPrivacy {
        en: "Before you allow, read {app}'s {terms} and {privacy}.",
        fr: "Avant d’autoriser, lisez les {terms} et la {privacy} de {app}.",
        de: "Lesen Sie vor dem Erlauben die {terms} und die {privacy} von {app}.",
        es: "Antes de permitirlo, lee las {terms} y la {privacy} de {app}.",
        it: "Prima di consentire, leggi i {terms} e l’{privacy} di {app}.",
    }
    /// The app's terms only: `{app}`, `{terms}`.
    ReadTerms {
        en: "Before you allow, read {app}'s {terms}.",
        fr: "Avant d’autoriser, lisez les {terms} de {app}.",
        de: "Lesen Sie vor dem Erlauben die {terms} von {app}.",
        es: "Antes de permitirlo, lee las {terms} de {app}.",
        it: "Prima di consentire, leggi i {terms} di {app}.",
    }
    /// The app's privacy statement only: `{app}`, `{privacy}`.
    ReadPrivacy {
        en: "Before you allow, read {app}'s {privacy}.",
        fr: "Avant d’autoriser, lisez la {privacy} de {app}.",
        de: "Lesen Sie vor dem Erlauben die {privacy} von {app}.",
        es: "Antes de permitirlo, lee la {privacy} de {app}.",
        it: "Prima di consentire, leggi l’{privacy} di {app}.",
    }
    /// The terms link.
    TermsOfUse { en: "terms of use", fr: "conditions d’utilisation", de: "Nutzungsbedingungen", es: "condiciones de uso", it: "termini di utilizzo" }
    /// The privacy link.
    PrivacyStatement { en: "privacy statement", fr: "déclaration de confidentialité", de: "Datenschutzerklärung", es: "declaración de privacidad", it: "informativa sulla privacy" }
    /// Where the person returns: `{origin}`, and `{connected}` (a link to the connected apps).
    ReturnTo {
        en: "You'll return to {origin}. You can remove this app's access at any time on the {connected} page.",
        fr: "Vous reviendrez sur {origin}. Vous pouvez retirer l’accès de cette app à tout moment sur la page {connected}.",
        de: "Sie kehren zu {origin} zurück. Sie können den Zugriff dieser App jederzeit auf der Seite {connected} entfernen.",
        es: "Volverás a {origin}. Puedes quitar el acceso de esta app en cualquier momento en la página {connected}.",
        it: "Tornerai su {origin}. Puoi rimuovere l’accesso di questa app in qualsiasi momento dalla pagina {connected}.",
    }

    // — Connected apps —
    /// The connected-apps page's title, heading and link text.
    ConnectedApps { en: "Connected apps", fr: "Apps connectées", de: "Verbundene Apps", es: "Apps conectadas", it: "App collegate" }
    /// Under the person on the connected-apps page.
    TheseAppsCanUse {
        en: "These apps can use your wl-connect account.",
        fr: "Ces apps peuvent utiliser votre compte wl-connect.",
        de: "Diese Apps dürfen Ihr wl-connect-Konto verwenden.",
        es: "Estas apps pueden usar tu cuenta de wl-connect.",
        it: "Queste app possono usare il tuo account wl-connect.",
    }
    /// The sign-out button.
    SignOut { en: "Sign out", fr: "Se déconnecter", de: "Abmelden", es: "Cerrar sesión", it: "Esci" }
    /// No connected app yet.
    NoApps {
        en: "You haven't connected any apps yet. When you allow an app to use your account, it appears here and you can remove it at any time.",
        fr: "Vous n’avez encore connecté aucune app. Quand vous autorisez une app à utiliser votre compte, elle apparaît ici et vous pouvez la retirer à tout moment.",
        de: "Sie haben noch keine Apps verbunden. Wenn Sie einer App die Nutzung Ihres Kontos erlauben, erscheint sie hier und Sie können sie jederzeit entfernen.",
        es: "Todavía no has conectado ninguna app. Cuando permitas que una app use tu cuenta, aparecerá aquí y podrás quitarla en cualquier momento.",
        it: "Non hai ancora collegato nessuna app. Quando consenti a un’app di usare il tuo account, compare qui e puoi rimuoverla in qualsiasi momento.",
    }
    /// When an app was connected `{date}` and until when `{until}`.
    ConnectedSince {
        en: "Connected {date} · access until {until}",
        fr: "Connectée le {date} · accès jusqu’au {until}",
        de: "Verbunden am {date} · Zugriff bis {until}",
        es: "Conectada el {date} · acceso hasta el {until}",
        it: "Collegata il {date} · accesso fino al {until}",
    }
    /// The visibility checkbox: `{app}`.
    LetFriendsSee {
        en: "Let friends see I use {app}",
        fr: "Montrer à mes amis que j’utilise {app}",
        de: "Freunde sehen lassen, dass ich {app} nutze",
        es: "Dejar que mis amigos vean que uso {app}",
        it: "Mostra agli amici che uso {app}",
    }
    /// Under the visibility checkbox.
    LetFriendsSeeHint {
        en: "Friends who use it too see you under \"Here now\" and in its friend list.",
        fr: "Vos amis qui l’utilisent aussi vous voient sous « Ici maintenant » et dans sa liste d’amis.",
        de: "Freunde, die sie auch nutzen, sehen Sie unter „Jetzt hier“ und in ihrer Freundesliste.",
        es: "Tus amigos que también la usan te ven en «Aquí ahora» y en su lista de amigos.",
        it: "Gli amici che la usano ti vedono in «Qui ora» e nel suo elenco di amici.",
    }
    /// Saves the visibility.
    Save { en: "Save", fr: "Enregistrer", de: "Speichern", es: "Guardar", it: "Salva" }
    /// Removes an app's access.
    RemoveAccess { en: "Remove access", fr: "Retirer l’accès", de: "Zugriff entfernen", es: "Quitar el acceso", it: "Rimuovi l’accesso" }
    /// Notice: friends no longer see `{app}`.
    FriendsNoLonger {
        en: "Friends no longer see that you use {app}.",
        fr: "Vos amis ne voient plus que vous utilisez {app}.",
        de: "Freunde sehen nicht mehr, dass Sie {app} nutzen.",
        es: "Tus amigos ya no ven que usas {app}.",
        it: "Gli amici non vedono più che usi {app}.",
    }
    /// Notice: friends see `{app}`.
    FriendsCanSee {
        en: "Friends who use {app} can see you use {app}.",
        fr: "Vos amis qui utilisent {app} voient que vous l’utilisez.",
        de: "Freunde, die {app} nutzen, sehen, dass Sie {app} nutzen.",
        es: "Tus amigos que usan {app} pueden ver que tú también la usas.",
        it: "Gli amici che usano {app} vedono che la usi anche tu.",
    }
    /// Notice: `{app}` was removed.
    AppRemoved {
        en: "{app} can no longer use your account.",
        fr: "{app} ne peut plus utiliser votre compte.",
        de: "{app} kann Ihr Konto nicht mehr verwenden.",
        es: "{app} ya no puede usar tu cuenta.",
        it: "{app} non può più usare il tuo account.",
    }

    // — Profiles and errors —
    /// Under a public profile's name.
    Member { en: "wl-connect member", fr: "Membre de wl-connect", de: "wl-connect-Mitglied", es: "Miembro de wl-connect", it: "Membro di wl-connect" }
    /// The error page's last line: `{code}` is code.
    ErrorCodeLine {
        en: "Error code: {code}. You can close this window.",
        fr: "Code d’erreur : {code}. Vous pouvez fermer cette fenêtre.",
        de: "Fehlercode: {code}. Sie können dieses Fenster schließen.",
        es: "Código de error: {code}. Puedes cerrar esta ventana.",
        it: "Codice di errore: {code}. Puoi chiudere questa finestra.",
    }
    /// A 404 page's title.
    PageNotFound { en: "Page not found", fr: "Page introuvable", de: "Seite nicht gefunden", es: "Página no encontrada", it: "Pagina non trovata" }
    /// A 404 page's message.
    NothingHere {
        en: "There's nothing at this address.",
        fr: "Il n’y a rien à cette adresse.",
        de: "Unter dieser Adresse gibt es nichts.",
        es: "No hay nada en esta dirección.",
        it: "Non c’è niente a questo indirizzo.",
    }
    /// An unknown profile's message.
    NoSuchProfile {
        en: "There's no one with this profile address.",
        fr: "Personne n’a cette adresse de profil.",
        de: "Unter dieser Profiladresse gibt es niemanden.",
        es: "No hay nadie con esta dirección de perfil.",
        it: "Nessuno ha questo indirizzo di profilo.",
    }
    /// Any other error page's title.
    SomethingWentWrong { en: "Something went wrong", fr: "Un problème est survenu", de: "Etwas ist schiefgelaufen", es: "Algo salió mal", it: "Qualcosa è andato storto" }
    /// An internal error's message.
    TryAgain {
        en: "Something went wrong on the provider. Please try again.",
        fr: "Un problème est survenu chez le fournisseur. Veuillez réessayer.",
        de: "Beim Anbieter ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.",
        es: "Algo salió mal en el proveedor. Vuelve a intentarlo.",
        it: "Qualcosa è andato storto sul provider. Riprova.",
    }
    /// An incomplete `/authorize` link (no `client_id`): title.
    LinkIncomplete {
        en: "This sign-in link is incomplete",
        fr: "Ce lien de connexion est incomplet",
        de: "Dieser Anmeldelink ist unvollständig",
        es: "Este enlace de inicio de sesión está incompleto",
        it: "Questo link di accesso è incompleto",
    }
    /// An unknown app: title.
    AppNotRegistered {
        en: "This app isn't registered",
        fr: "Cette app n’est pas enregistrée",
        de: "Diese App ist nicht registriert",
        es: "Esta app no está registrada",
        it: "Questa app non è registrata",
    }
    /// A wrong redirect URI: title.
    LinkUnusable {
        en: "This sign-in link can't be used",
        fr: "Ce lien de connexion ne peut pas être utilisé",
        de: "Dieser Anmeldelink kann nicht verwendet werden",
        es: "Este enlace de inicio de sesión no se puede usar",
        it: "Questo link di accesso non può essere usato",
    }
    /// What to do about a broken sign-in link.
    LinkAdvice {
        en: "The app that sent you here made a mistake in its sign-in link. Go back and let the site's owner know.",
        fr: "L’app qui vous a envoyé ici a fait une erreur dans son lien de connexion. Revenez en arrière et prévenez le propriétaire du site.",
        de: "Die App, die Sie hierher geschickt hat, hat einen Fehler in ihrem Anmeldelink. Gehen Sie zurück und informieren Sie den Betreiber der Website.",
        es: "La app que te envió aquí cometió un error en su enlace de inicio de sesión. Vuelve atrás y avisa al propietario del sitio.",
        it: "L’app che ti ha mandato qui ha commesso un errore nel suo link di accesso. Torna indietro e avvisa il proprietario del sito.",
    }
    /// A form posted from another site: title.
    FormFromElsewhere {
        en: "This form came from another site",
        fr: "Ce formulaire provient d’un autre site",
        de: "Dieses Formular stammt von einer anderen Website",
        es: "Este formulario procede de otro sitio",
        it: "Questo modulo proviene da un altro sito",
    }
    /// An expired form: title.
    FormExpired {
        en: "This form has expired",
        fr: "Ce formulaire a expiré",
        de: "Dieses Formular ist abgelaufen",
        es: "Este formulario ha caducado",
        it: "Questo modulo è scaduto",
    }
    /// What to do about a refused form.
    FormAdvice {
        en: "Nothing was changed. Go back, reload the page and try again.",
        fr: "Rien n’a été modifié. Revenez en arrière, rechargez la page et réessayez.",
        de: "Es wurde nichts geändert. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es erneut.",
        es: "No se ha cambiado nada. Vuelve atrás, recarga la página e inténtalo de nuevo.",
        it: "Non è stato modificato nulla. Torna indietro, ricarica la pagina e riprova.",
    }
    /// A grant that is gone: title.
    NothingToChange { en: "Nothing to change", fr: "Rien à modifier", de: "Nichts zu ändern", es: "Nada que cambiar", it: "Niente da modificare" }
    /// A grant that is gone: message.
    AppNotConnected {
        en: "That app isn't connected to your account (any more).",
        fr: "Cette app n’est pas (ou plus) connectée à votre compte.",
        de: "Diese App ist nicht (mehr) mit Ihrem Konto verbunden.",
        es: "Esa app no está conectada a tu cuenta (o ya no lo está).",
        it: "Quell’app non è (più) collegata al tuo account.",
    }

    // — Invitations —
    /// The invitations page's title and heading.
    Invitations { en: "Invitations", fr: "Invitations", de: "Einladungen", es: "Invitaciones", it: "Inviti" }
    /// Under the person: the address `{email}` invitations are sent to.
    InvitationsTo {
        en: "Invitations to {email}",
        fr: "Invitations adressées à {email}",
        de: "Einladungen an {email}",
        es: "Invitaciones para {email}",
        it: "Inviti per {email}",
    }
    /// No invitation waiting for `{email}`.
    NoInvitations {
        en: "No invitations are waiting for you. When someone invites {email} to connect, it appears here.",
        fr: "Aucune invitation ne vous attend. Quand quelqu’un invite {email} à se connecter, l’invitation apparaît ici.",
        de: "Es warten keine Einladungen auf Sie. Wenn jemand {email} zur Verbindung einlädt, erscheint die Einladung hier.",
        es: "No tienes invitaciones pendientes. Cuando alguien invite a {email} a conectarse, aparecerá aquí.",
        it: "Non ci sono inviti in attesa. Quando qualcuno invita {email} a collegarsi, l’invito compare qui.",
    }
    /// The list's accessible name.
    PendingInvitations { en: "Pending invitations", fr: "Invitations en attente", de: "Ausstehende Einladungen", es: "Invitaciones pendientes", it: "Inviti in attesa" }
    /// Under the inviter's name: sent on `{date}`.
    WantsToConnect {
        en: "wants to connect with you · sent {date}",
        fr: "souhaite se connecter avec vous · envoyée le {date}",
        de: "möchte sich mit Ihnen verbinden · gesendet am {date}",
        es: "quiere conectar contigo · enviada el {date}",
        it: "vuole collegarsi con te · inviato il {date}",
    }
    /// The decline button.
    Decline { en: "Decline", fr: "Refuser", de: "Ablehnen", es: "Rechazar", it: "Rifiuta" }
    /// The accept button.
    Accept { en: "Accept", fr: "Accepter", de: "Annehmen", es: "Aceptar", it: "Accetta" }
    /// The decline button's accessible name: `{name}` is the inviter.
    DeclineInvitationOf {
        en: "Decline {name}'s invitation",
        fr: "Refuser l’invitation de {name}",
        de: "Einladung von {name} ablehnen",
        es: "Rechazar la invitación de {name}",
        it: "Rifiuta l’invito di {name}",
    }
    /// The accept button's accessible name: `{name}` is the inviter.
    AcceptInvitationOf {
        en: "Accept {name}'s invitation",
        fr: "Accepter l’invitation de {name}",
        de: "Einladung von {name} annehmen",
        es: "Aceptar la invitación de {name}",
        it: "Accetta l’invito di {name}",
    }
    /// Notice: accepted.
    InvitationAccepted {
        en: "You are now connected: you appear in each other's friends.",
        fr: "Vous êtes maintenant connectés : vous apparaissez chacun dans les amis de l’autre.",
        de: "Sie sind jetzt verbunden: Sie erscheinen gegenseitig in Ihren Freundeslisten.",
        es: "Ya estáis conectados: aparecéis en la lista de amigos del otro.",
        it: "Ora siete collegati: comparite ciascuno tra gli amici dell’altro.",
    }
    /// Notice: declined.
    InvitationDeclined { en: "Invitation declined.", fr: "Invitation refusée.", de: "Einladung abgelehnt.", es: "Invitación rechazada.", it: "Invito rifiutato." }
    /// An unknown invitation: title.
    NoSuchInvitation { en: "No such invitation", fr: "Invitation introuvable", de: "Einladung nicht gefunden", es: "Invitación no encontrada", it: "Invito non trovato" }
    /// An unknown invitation: message.
    NoSuchInvitationMessage {
        en: "There is no invitation by that id for your e-mail address.",
        fr: "Il n’y a pas d’invitation avec cet identifiant pour votre adresse e-mail.",
        de: "Für Ihre E-Mail-Adresse gibt es keine Einladung mit dieser Kennung.",
        es: "No hay ninguna invitación con ese identificador para tu dirección de correo electrónico.",
        it: "Non esiste un invito con questo identificativo per il tuo indirizzo email.",
    }
    /// An invitation answered before: title.
    InvitationAnswered { en: "Invitation already answered", fr: "Invitation déjà traitée", de: "Einladung bereits beantwortet", es: "Invitación ya respondida", it: "Invito già gestito" }
    /// An invitation answered before: it was accepted (the English text is the error's message).
    InvitationWasAccepted {
        en: "This invitation is no longer pending (it was accepted).",
        fr: "Cette invitation n’est plus en attente (elle a été acceptée).",
        de: "Diese Einladung ist nicht mehr offen (sie wurde angenommen).",
        es: "Esta invitación ya no está pendiente (fue aceptada).",
        it: "Questo invito non è più in sospeso (è stato accettato).",
    }
    /// … it was declined.
    InvitationWasDeclined {
        en: "This invitation is no longer pending (it was declined).",
        fr: "Cette invitation n’est plus en attente (elle a été refusée).",
        de: "Diese Einladung ist nicht mehr offen (sie wurde abgelehnt).",
        es: "Esta invitación ya no está pendiente (fue rechazada).",
        it: "Questo invito non è più in sospeso (è stato rifiutato).",
    }
    /// … the person who sent it cancelled it.
    InvitationWasCancelled {
        en: "This invitation is no longer pending (it was cancelled).",
        fr: "Cette invitation n’est plus en attente (elle a été annulée).",
        de: "Diese Einladung ist nicht mehr offen (sie wurde zurückgezogen).",
        es: "Esta invitación ya no está pendiente (fue cancelada).",
        it: "Questo invito non è più in sospeso (è stato annullato).",
    }

    // — The sharing badge —
    /// The share form's title and heading.
    ShareALink { en: "Share a link", fr: "Partager un lien", de: "Einen Link teilen", es: "Compartir un enlace", it: "Condividi un link" }
    /// Under the share form's heading.
    WithYourFriends {
        en: "with your wl-connect friends",
        fr: "avec vos amis wl-connect",
        de: "mit Ihren wl-connect-Freunden",
        es: "con tus amigos de wl-connect",
        it: "con i tuoi amici wl-connect",
    }
    /// The message field.
    Message { en: "Message", fr: "Message", de: "Nachricht", es: "Mensaje", it: "Messaggio" }
    /// After the message field's label.
    Optional { en: "(optional)", fr: "(facultatif)", de: "(optional)", es: "(opcional)", it: "(facoltativo)" }
    /// The message field's placeholder.
    SaySomething {
        en: "Say something about this link",
        fr: "Dites quelque chose à propos de ce lien",
        de: "Schreiben Sie etwas zu diesem Link",
        es: "Di algo sobre este enlace",
        it: "Scrivi qualcosa su questo link",
    }
    /// The audience group's label.
    ShareWith { en: "Share with", fr: "Partager avec", de: "Teilen mit", es: "Compartir con", it: "Condividi con" }
    /// The audience: every friend.
    AllMyFriends { en: "All my friends", fr: "Tous mes amis", de: "Alle meine Freunde", es: "Todos mis amigos", it: "Tutti i miei amici" }
    /// One friend.
    OneFriend { en: "1 friend", fr: "1 ami", de: "1 Freund", es: "1 amigo", it: "1 amico" }
    /// `{n}` friends.
    NFriends { en: "{n} friends", fr: "{n} amis", de: "{n} Freunde", es: "{n} amigos", it: "{n} amici" }
    /// The audience: the ticked friends.
    OnlyTicked {
        en: "Only the friends I tick",
        fr: "Seulement les amis que je coche",
        de: "Nur die Freunde, die ich ankreuze",
        es: "Solo los amigos que marque",
        it: "Solo gli amici che seleziono",
    }
    /// Under the ticked-friends choice.
    OnlyTickedHint {
        en: "Ticking a friend shares with the ticked friends only.",
        fr: "Cocher un ami partage uniquement avec les amis cochés.",
        de: "Wenn Sie einen Freund ankreuzen, wird nur mit den angekreuzten Freunden geteilt.",
        es: "Al marcar a un amigo, solo se comparte con los amigos marcados.",
        it: "Selezionando un amico si condivide solo con gli amici selezionati.",
    }
    /// No friend to share with.
    NoFriends {
        en: "You haven't added any friends yet, so there's no one to share with.",
        fr: "Vous n’avez encore ajouté aucun ami : il n’y a personne avec qui partager.",
        de: "Sie haben noch keine Freunde hinzugefügt, daher gibt es niemanden zum Teilen.",
        es: "Todavía no has añadido amigos, así que no hay nadie con quien compartir.",
        it: "Non hai ancora aggiunto amici, quindi non c’è nessuno con cui condividere.",
    }
    /// The share button.
    Share { en: "Share", fr: "Partager", de: "Teilen", es: "Compartir", it: "Condividi" }
    /// Where a share appears.
    ShareAppears {
        en: "It appears in your friends' wl-connect feeds. Nothing is shared with the site you came from.",
        fr: "Il apparaît dans le fil wl-connect de vos amis. Rien n’est partagé avec le site d’où vous venez.",
        de: "Er erscheint in den wl-connect-Feeds Ihrer Freunde. Mit der Website, von der Sie kommen, wird nichts geteilt.",
        es: "Aparece en las novedades de wl-connect de tus amigos. No se comparte nada con el sitio del que vienes.",
        it: "Compare nei feed wl-connect dei tuoi amici. Non viene condiviso nulla con il sito da cui provieni.",
    }
    /// The confirmation's title.
    Shared { en: "Shared", fr: "Partagé", de: "Geteilt", es: "Compartido", it: "Condiviso" }
    /// The confirmation: `{recipients}`.
    NowInFeedOf {
        en: "Your link is now in the feed of {recipients}.",
        fr: "Votre lien est maintenant dans le fil de {recipients}.",
        de: "Ihr Link ist jetzt im Feed von {recipients}.",
        es: "Tu enlace ya está en las novedades de {recipients}.",
        it: "Il tuo link è ora nel feed di {recipients}.",
    }
    /// The one friend who got a share.
    YourFriend { en: "your friend", fr: "votre ami", de: "Ihrem Freund", es: "tu amigo", it: "il tuo amico" }
    /// Every friend (`{n}`) who got a share.
    AllYourFriends {
        en: "all your friends ({n})",
        fr: "tous vos amis ({n})",
        de: "allen Ihren Freunden ({n})",
        es: "todos tus amigos ({n})",
        it: "tutti i tuoi amici ({n})",
    }
    /// After sharing: `{back}` is a link.
    CloseOrGoBack {
        en: "You can close this window, or {back}.",
        fr: "Vous pouvez fermer cette fenêtre ou {back}.",
        de: "Sie können dieses Fenster schließen oder {back}.",
        es: "Puedes cerrar esta ventana o {back}.",
        it: "Puoi chiudere questa finestra o {back}.",
    }
    /// The link back.
    GoBackToPage {
        en: "go back to the page",
        fr: "revenir à la page",
        de: "zur Seite zurückkehren",
        es: "volver a la página",
        it: "tornare alla pagina",
    }
    /// A message over `{max}` characters.
    MessageTooLong {
        en: "Your message is too long: at most {max} characters.",
        fr: "Votre message est trop long : {max} caractères au plus.",
        de: "Ihre Nachricht ist zu lang: höchstens {max} Zeichen.",
        es: "Tu mensaje es demasiado largo: como máximo {max} caracteres.",
        it: "Il tuo messaggio è troppo lungo: al massimo {max} caratteri.",
    }
    /// "Chosen friends" with none ticked.
    TickOne {
        en: "Tick at least one friend, or choose “All my friends”.",
        fr: "Cochez au moins un ami, ou choisissez « Tous mes amis ».",
        de: "Kreuzen Sie mindestens einen Freund an oder wählen Sie „Alle meine Freunde“.",
        es: "Marca al menos un amigo o elige «Todos mis amigos».",
        it: "Seleziona almeno un amico oppure scegli «Tutti i miei amici».",
    }
    /// A ticked person who isn't a friend.
    OnlyFriends {
        en: "You can only share with your friends. Check who is ticked and try again.",
        fr: "Vous ne pouvez partager qu’avec vos amis. Vérifiez qui est coché et réessayez.",
        de: "Sie können nur mit Ihren Freunden teilen. Prüfen Sie, wer angekreuzt ist, und versuchen Sie es erneut.",
        es: "Solo puedes compartir con tus amigos. Revisa a quién has marcado y vuelve a intentarlo.",
        it: "Puoi condividere solo con i tuoi amici. Controlla chi è selezionato e riprova.",
    }
    /// A badge link without a url: title.
    NothingToShare { en: "Nothing to share", fr: "Rien à partager", de: "Nichts zu teilen", es: "Nada que compartir", it: "Niente da condividere" }
    /// A badge link without a url: message.
    NothingToShareMessage {
        en: "This sharing link doesn't say which page to share (its url is missing). Go back and tell the site's owner.",
        fr: "Ce lien de partage n’indique pas quelle page partager (son url manque). Revenez en arrière et prévenez le propriétaire du site.",
        de: "Dieser Teilen-Link gibt nicht an, welche Seite geteilt werden soll (die url fehlt). Gehen Sie zurück und informieren Sie den Betreiber der Website.",
        es: "Este enlace para compartir no indica qué página compartir (falta su url). Vuelve atrás y avisa al propietario del sitio.",
        it: "Questo link di condivisione non indica quale pagina condividere (manca l’url). Torna indietro e avvisa il proprietario del sito.",
    }
    /// A badge link to something not http(s): title.
    CantShareLink {
        en: "This link can't be shared",
        fr: "Ce lien ne peut pas être partagé",
        de: "Dieser Link kann nicht geteilt werden",
        es: "Este enlace no se puede compartir",
        it: "Questo link non può essere condiviso",
    }
    /// A badge link to something not http(s): message.
    OnlyWebPages {
        en: "Only web pages can be shared: the address must start with http:// or https://.",
        fr: "Seules les pages web peuvent être partagées : l’adresse doit commencer par http:// ou https://.",
        de: "Nur Webseiten können geteilt werden: Die Adresse muss mit http:// oder https:// beginnen.",
        es: "Solo se pueden compartir páginas web: la dirección debe empezar por http:// o https://.",
        it: "Si possono condividere solo pagine web: l’indirizzo deve iniziare con http:// o https://.",
    }
    /// A confirmation that isn't the person's: title.
    NothingSharedHere { en: "Nothing shared here", fr: "Rien de partagé ici", de: "Hier wurde nichts geteilt", es: "Aquí no se ha compartido nada", it: "Qui non è stato condiviso nulla" }
    /// A confirmation that isn't the person's: message.
    NotYourShare {
        en: "This confirmation isn't for anything you shared.",
        fr: "Cette confirmation ne concerne rien de ce que vous avez partagé.",
        de: "Diese Bestätigung gehört zu nichts, was Sie geteilt haben.",
        es: "Esta confirmación no corresponde a nada que hayas compartido.",
        it: "Questa conferma non riguarda nulla che tu abbia condiviso.",
    }


    // — The developer portal (`/developers`) —
    /// The portal's name (titles, its navigation's label).
    DevPortal { en: "Developer portal", fr: "Portail des développeurs", de: "Entwicklerportal", es: "Portal para desarrolladores", it: "Portale per sviluppatori" }
    /// A portal page's title: `{title}` is the page's own.
    DevTitle {
        en: "{title} · Developer portal · wl-connect",
        fr: "{title} · Portail des développeurs · wl-connect",
        de: "{title} · Entwicklerportal · wl-connect",
        es: "{title} · Portal para desarrolladores · wl-connect",
        it: "{title} · Portale per sviluppatori · wl-connect",
    }
    /// The list of the developer's apps (heading, link).
    DevYourApps { en: "Your apps", fr: "Vos apps", de: "Ihre Apps", es: "Tus apps", it: "Le tue app" }
    /// The link and page that register an app.
    DevRegisterApp { en: "Register an app", fr: "Inscrire une app", de: "App registrieren", es: "Registrar una app", it: "Registra un’app" }
    /// The index without apps: `{wljs}` is the loader's name (code).
    DevNoAppsYet {
        en: "You don't own any apps yet. Register one to get a client ID for the {wljs} loader and your redirect URIs.",
        fr: "Vous ne possédez encore aucune app. Inscrivez-en une pour obtenir un identifiant client pour le chargeur {wljs} et vos URI de redirection.",
        de: "Sie besitzen noch keine Apps. Registrieren Sie eine, um eine Client-ID für den Loader {wljs} und Ihre Weiterleitungs-URIs zu erhalten.",
        es: "Todavía no tienes ninguna app. Registra una para obtener un ID de cliente para el cargador {wljs} y tus URI de redirección.",
        it: "Non possiedi ancora nessuna app. Registrane una per ottenere un ID client per il loader {wljs} e i tuoi URI di reindirizzamento.",
    }
    /// The client ID (label; before the id in the list).
    DevClientId { en: "Client ID", fr: "Identifiant client", de: "Client-ID", es: "ID de cliente", it: "ID client" }
    /// After deleting an app.
    DevAppDeleted {
        en: "The app was deleted, and every grant and token issued to it revoked.",
        fr: "L’app a été supprimée, et toutes les autorisations et tous les jetons qui lui avaient été délivrés sont révoqués.",
        de: "Die App wurde gelöscht, und alle ihr erteilten Berechtigungen und Tokens wurden widerrufen.",
        es: "La app se ha eliminado y se han revocado todos los permisos y tokens que se le emitieron.",
        it: "L’app è stata eliminata e tutte le autorizzazioni e i token emessi per essa sono stati revocati.",
    }
    /// A refused form, one field wrong.
    DevFixField {
        en: "Nothing was saved. Please fix the field marked below.",
        fr: "Rien n’a été enregistré. Corrigez le champ signalé ci-dessous.",
        de: "Es wurde nichts gespeichert. Bitte korrigieren Sie das unten markierte Feld.",
        es: "No se ha guardado nada. Corrige el campo marcado abajo.",
        it: "Non è stato salvato nulla. Correggi il campo segnalato qui sotto.",
    }
    /// A refused form, several fields wrong.
    DevFixFields {
        en: "Nothing was saved. Please fix the fields marked below.",
        fr: "Rien n’a été enregistré. Corrigez les champs signalés ci-dessous.",
        de: "Es wurde nichts gespeichert. Bitte korrigieren Sie die unten markierten Felder.",
        es: "No se ha guardado nada. Corrige los campos marcados abajo.",
        it: "Non è stato salvato nulla. Correggi i campi segnalati qui sotto.",
    }
    /// The app's name field.
    DevName { en: "Name", fr: "Nom", de: "Name", es: "Nombre", it: "Nome" }
    /// The app's description field.
    DevDescription { en: "Description", fr: "Description", de: "Beschreibung", es: "Descripción", it: "Descrizione" }
    /// The description's hint: `{max}` characters.
    DevDescriptionHint {
        en: "Shown on the consent screen. At most {max} characters.",
        fr: "Affichée sur l’écran d’autorisation. {max} caractères au plus.",
        de: "Wird auf der Zustimmungsseite angezeigt. Höchstens {max} Zeichen.",
        es: "Se muestra en la pantalla de consentimiento. Como máximo {max} caracteres.",
        it: "Mostrata nella schermata di consenso. Al massimo {max} caratteri.",
    }
    /// The redirect URIs field.
    DevRedirectUris { en: "Redirect URIs", fr: "URI de redirection", de: "Weiterleitungs-URIs", es: "URI de redirección", it: "URI di reindirizzamento" }
    /// The redirect URIs' hint.
    DevRedirectUrisHint {
        en: "One per line, matched exactly. https, or http on 127.0.0.1 / localhost only.",
        fr: "Une par ligne, comparée à l’identique. https, ou http sur 127.0.0.1 / localhost seulement.",
        de: "Eine pro Zeile, exakt verglichen. https, oder http nur auf 127.0.0.1 / localhost.",
        es: "Una por línea, con coincidencia exacta. https, o http solo en 127.0.0.1 / localhost.",
        it: "Uno per riga, confrontato esattamente. https, oppure http solo su 127.0.0.1 / localhost.",
    }
    /// The allowed origins field.
    DevOrigins { en: "Allowed origins", fr: "Origines autorisées", de: "Erlaubte Ursprünge", es: "Orígenes permitidos", it: "Origini consentite" }
    /// The origins' hint: `{example}` is an example origin (code).
    DevOriginsHint {
        en: "Browser origins that may call the APIs, one per line, like {example}. Empty: the redirect URIs' origins.",
        fr: "Origines de navigateur autorisées à appeler les API, une par ligne, comme {example}. Vide : les origines des URI de redirection.",
        de: "Browser-Ursprünge, die die APIs aufrufen dürfen, einer pro Zeile, etwa {example}. Leer: die Ursprünge der Weiterleitungs-URIs.",
        es: "Orígenes de navegador que pueden llamar a las API, uno por línea, como {example}. Vacío: los orígenes de las URI de redirección.",
        it: "Origini del browser che possono chiamare le API, una per riga, come {example}. Vuoto: le origini degli URI di reindirizzamento.",
    }
    /// The scopes fieldset's legend.
    DevScopesLegend {
        en: "Scopes the app may request",
        fr: "Portées que l’app peut demander",
        de: "Bereiche, die die App anfordern darf",
        es: "Ámbitos que la app puede solicitar",
        it: "Ambiti che l’app può richiedere",
    }
    /// The terms of use URL field.
    DevTermsUrl { en: "Terms of use URL", fr: "URL des conditions d’utilisation", de: "URL der Nutzungsbedingungen", es: "URL de las condiciones de uso", it: "URL dei termini di utilizzo" }
    /// The privacy statement URL field.
    DevPrivacyUrl { en: "Privacy statement URL", fr: "URL de la déclaration de confidentialité", de: "URL der Datenschutzerklärung", es: "URL de la declaración de privacidad", it: "URL dell’informativa sulla privacy" }
    /// The logo field.
    DevLogo { en: "Logo", fr: "Logo", de: "Logo", es: "Logotipo", it: "Logo" }
    /// The box that removes the logo.
    DevRemoveLogo { en: "Remove the current logo", fr: "Supprimer le logo actuel", de: "Aktuelles Logo entfernen", es: "Quitar el logotipo actual", it: "Rimuovi il logo attuale" }
    /// The logo's hint: at most `{kb}` KB, shown at most `{side}`×`{side}` pixels.
    DevLogoHint {
        en: "PNG or JPEG, at most {kb} KB. It is shown at most {side}×{side} pixels.",
        fr: "PNG ou JPEG, {kb} Ko au plus. Il est affiché en {side}×{side} pixels au plus.",
        de: "PNG oder JPEG, höchstens {kb} KB. Es wird mit höchstens {side}×{side} Pixeln angezeigt.",
        es: "PNG o JPEG, como máximo {kb} KB. Se muestra a {side}×{side} píxeles como máximo.",
        it: "PNG o JPEG, al massimo {kb} KB. Viene mostrato al massimo a {side}×{side} pixel.",
    }
    /// After a refused form with a logo.
    DevLogoAgain {
        en: "Choose the file again: uploads are not kept when the form is refused.",
        fr: "Choisissez de nouveau le fichier : les envois ne sont pas conservés quand le formulaire est refusé.",
        de: "Wählen Sie die Datei erneut: Hochgeladene Dateien werden nicht behalten, wenn das Formular abgelehnt wird.",
        es: "Vuelve a elegir el archivo: los archivos subidos no se conservan cuando se rechaza el formulario.",
        it: "Scegli di nuovo il file: i caricamenti non vengono conservati quando il modulo viene rifiutato.",
    }
    /// The registration page's breadcrumb end and button.
    DevRegister { en: "Register", fr: "Inscrire", de: "Registrieren", es: "Registrar", it: "Registra" }
    /// A button that goes back without changing anything.
    DevCancel { en: "Cancel", fr: "Annuler", de: "Abbrechen", es: "Cancelar", it: "Annulla" }
    /// After registering an app.
    DevRegistered {
        en: "Your app is registered. Use its client ID below.",
        fr: "Votre app est inscrite. Utilisez son identifiant client ci-dessous.",
        de: "Ihre App ist registriert. Verwenden Sie die Client-ID unten.",
        es: "Tu app está registrada. Usa su ID de cliente, que aparece abajo.",
        it: "La tua app è registrata. Usa il suo ID client qui sotto.",
    }
    /// After saving an app.
    DevSaved { en: "Changes saved.", fr: "Modifications enregistrées.", de: "Änderungen gespeichert.", es: "Cambios guardados.", it: "Modifiche salvate." }
    /// After adding an owner.
    DevOwnerAdded { en: "Owner added.", fr: "Propriétaire ajouté.", de: "Inhaber hinzugefügt.", es: "Propietario añadido.", it: "Proprietario aggiunto." }
    /// After adding a template.
    DevTemplateAdded { en: "Template added.", fr: "Modèle ajouté.", de: "Vorlage hinzugefügt.", es: "Plantilla añadida.", it: "Modello aggiunto." }
    /// After removing a template.
    DevTemplateRemoved { en: "Template removed.", fr: "Modèle supprimé.", de: "Vorlage entfernt.", es: "Plantilla quitada.", it: "Modello rimosso." }
    /// The client ID's hint: `{init}` is the call (code).
    DevClientIdHint {
        en: "Give it to {init}. It is public; it is not a secret.",
        fr: "Passez-le à {init}. Il est public ; ce n’est pas un secret.",
        de: "Übergeben Sie sie an {init}. Sie ist öffentlich, kein Geheimnis.",
        es: "Pásalo a {init}. Es público; no es un secreto.",
        it: "Passalo a {init}. È pubblico; non è un segreto.",
    }
    /// The app page's links' label.
    DevThisApp { en: "This app", fr: "Cette app", de: "Diese App", es: "Esta app", it: "Questa app" }
    /// The secrets link and section.
    DevSecrets { en: "Secrets", fr: "Secrets", de: "Geheimnisse", es: "Secretos", it: "Segreti" }
    /// The statistics link.
    DevStatistics { en: "Statistics", fr: "Statistiques", de: "Statistiken", es: "Estadísticas", it: "Statistiche" }
    /// The settings section.
    DevSettings { en: "Settings", fr: "Paramètres", de: "Einstellungen", es: "Configuración", it: "Impostazioni" }
    /// The edit form's button.
    DevSaveChanges { en: "Save changes", fr: "Enregistrer les modifications", de: "Änderungen speichern", es: "Guardar cambios", it: "Salva le modifiche" }
    /// The owners section.
    DevOwners { en: "Owners", fr: "Propriétaires", de: "Inhaber", es: "Propietarios", it: "Proprietari" }
    /// What owners may do.
    DevOwnersHint {
        en: "Owners see and change this app, its secrets and its statistics.",
        fr: "Les propriétaires voient et modifient cette app, ses secrets et ses statistiques.",
        de: "Inhaber sehen und ändern diese App, ihre Geheimnisse und ihre Statistiken.",
        es: "Los propietarios ven y cambian esta app, sus secretos y sus estadísticas.",
        it: "I proprietari vedono e modificano questa app, i suoi segreti e le sue statistiche.",
    }
    /// The add-owner field.
    DevAddOwnerBy { en: "Add an owner by username", fr: "Ajouter un propriétaire par nom d’utilisateur", de: "Inhaber per Benutzername hinzufügen", es: "Añadir un propietario por nombre de usuario", it: "Aggiungi un proprietario per nome utente" }
    /// The add-owner button.
    DevAddOwner { en: "Add owner", fr: "Ajouter le propriétaire", de: "Inhaber hinzufügen", es: "Añadir propietario", it: "Aggiungi proprietario" }
    /// The templates section.
    DevTemplates { en: "Activity templates", fr: "Modèles d’activité", de: "Aktivitätsvorlagen", es: "Plantillas de actividad", it: "Modelli di attività" }
    /// What templates are: the holes are code.
    DevTemplatesHint {
        en: "Your app's own one-line activities for {post} ({field}), next to the built-in {shared_link}, {liked_link} and {status}. Placeholders: {actor} (the person's name), {title}, {link} (an http(s) link) and {message}.",
        fr: "Les activités d’une ligne propres à votre app pour {post} ({field}), en plus des modèles intégrés {shared_link}, {liked_link} et {status}. Variables : {actor} (le nom de la personne), {title}, {link} (un lien http(s)) et {message}.",
        de: "Die eigenen einzeiligen Aktivitäten Ihrer App für {post} ({field}), neben den eingebauten {shared_link}, {liked_link} und {status}. Platzhalter: {actor} (der Name der Person), {title}, {link} (ein http(s)-Link) und {message}.",
        es: "Las actividades de una línea propias de tu app para {post} ({field}), además de las integradas {shared_link}, {liked_link} y {status}. Marcadores: {actor} (el nombre de la persona), {title}, {link} (un enlace http(s)) y {message}.",
        it: "Le attività di una riga proprie della tua app per {post} ({field}), oltre a quelle predefinite {shared_link}, {liked_link} e {status}. Segnaposto: {actor} (il nome della persona), {title}, {link} (un link http(s)) e {message}.",
    }
    /// Before a template's preview.
    DevPreview { en: "Preview:", fr: "Aperçu :", de: "Vorschau:", es: "Vista previa:", it: "Anteprima:" }
    /// The button that removes a template.
    DevRemove { en: "Remove", fr: "Supprimer", de: "Entfernen", es: "Quitar", it: "Rimuovi" }
    /// The template name field.
    DevTemplateName { en: "Template name", fr: "Nom du modèle", de: "Name der Vorlage", es: "Nombre de la plantilla", it: "Nome del modello" }
    /// The template text field.
    DevText { en: "Text", fr: "Texte", de: "Text", es: "Texto", it: "Testo" }
    /// The add-template button.
    DevAddTemplate { en: "Add template", fr: "Ajouter le modèle", de: "Vorlage hinzufügen", es: "Añadir plantilla", it: "Aggiungi modello" }
    /// The delete section, and the delete page's breadcrumb end.
    DevDelete { en: "Delete", fr: "Supprimer", de: "Löschen", es: "Eliminar", it: "Elimina" }
    /// What deleting does.
    DevDeleteHint {
        en: "Deleting the app revokes every grant and token issued to it. You'll be asked to confirm.",
        fr: "Supprimer l’app révoque toutes les autorisations et tous les jetons qui lui ont été délivrés. Une confirmation vous sera demandée.",
        de: "Das Löschen der App widerruft alle ihr erteilten Berechtigungen und Tokens. Sie werden um Bestätigung gebeten.",
        es: "Eliminar la app revoca todos los permisos y tokens que se le emitieron. Se te pedirá confirmación.",
        it: "Eliminare l’app revoca tutte le autorizzazioni e i token emessi per essa. Ti verrà chiesta una conferma.",
    }
    /// The link to the delete page.
    DevDeleteThisApp { en: "Delete this app…", fr: "Supprimer cette app…", de: "Diese App löschen …", es: "Eliminar esta app…", it: "Elimina questa app…" }
    /// The delete page's heading and title: `{app}` is the app's name.
    DevDeleteApp { en: "Delete {app}?", fr: "Supprimer {app} ?", de: "{app} löschen?", es: "¿Eliminar {app}?", it: "Eliminare {app}?" }
    /// The delete page's lead.
    DevCantBeUndone {
        en: "This can't be undone. Deleting the app revokes:",
        fr: "Cette action est irréversible. Supprimer l’app révoque :",
        de: "Das lässt sich nicht rückgängig machen. Das Löschen der App widerruft:",
        es: "No se puede deshacer. Eliminar la app revoca:",
        it: "Non si può annullare. Eliminare l’app revoca:",
    }
    /// One grant.
    DevOneGrant { en: "1 grant", fr: "1 autorisation", de: "1 Berechtigung", es: "1 permiso", it: "1 autorizzazione" }
    /// `{n}` grants.
    DevNGrants { en: "{n} grants", fr: "{n} autorisations", de: "{n} Berechtigungen", es: "{n} permisos", it: "{n} autorizzazioni" }
    /// What a grant is (after the count).
    DevGrantsAre {
        en: "— people who connected their account to it",
        fr: "— des personnes qui y ont connecté leur compte",
        de: "— Personen, die ihr Konto damit verbunden haben",
        es: "— personas que conectaron su cuenta a ella",
        it: "— persone che vi hanno collegato il proprio account",
    }
    /// One token.
    DevOneToken { en: "1 token", fr: "1 jeton", de: "1 Token", es: "1 token", it: "1 token" }
    /// `{n}` tokens.
    DevNTokens { en: "{n} tokens", fr: "{n} jetons", de: "{n} Tokens", es: "{n} tokens", it: "{n} token" }
    /// What the tokens are (after the count).
    DevTokensAre {
        en: "— access and refresh tokens in use",
        fr: "— des jetons d’accès et d’actualisation en usage",
        de: "— verwendete Zugriffs- und Aktualisierungstokens",
        es: "— tokens de acceso y de actualización en uso",
        it: "— token di accesso e di aggiornamento in uso",
    }
    /// The client ID stops working: `{id}` is it (code).
    DevIdStops {
        en: "Its client ID {id} stops working at once, everywhere.",
        fr: "Son identifiant client {id} cesse aussitôt de fonctionner, partout.",
        de: "Ihre Client-ID {id} funktioniert sofort nirgends mehr.",
        es: "Su ID de cliente {id} deja de funcionar de inmediato, en todas partes.",
        it: "Il suo ID client {id} smette subito di funzionare, ovunque.",
    }
    /// The delete button.
    DevDeleteAndRevoke {
        en: "Delete the app and revoke access",
        fr: "Supprimer l’app et révoquer l’accès",
        de: "App löschen und Zugriff widerrufen",
        es: "Eliminar la app y revocar el acceso",
        it: "Elimina l’app e revoca l’accesso",
    }
    /// A portal page for an app that is not the person's.
    DevAppNotFound { en: "App not found", fr: "App introuvable", de: "App nicht gefunden", es: "App no encontrada", it: "App non trovata" }
    /// Its message.
    DevNoAppHere {
        en: "There's no app of yours at this address.",
        fr: "Aucune de vos apps ne se trouve à cette adresse.",
        de: "Unter dieser Adresse gibt es keine App von Ihnen.",
        es: "No hay ninguna app tuya en esta dirección.",
        it: "A questo indirizzo non c’è nessuna tua app.",
    }
    /// A portal form that could not be read.
    DevFormUnreadable {
        en: "The form could not be read",
        fr: "Le formulaire n’a pas pu être lu",
        de: "Das Formular konnte nicht gelesen werden",
        es: "No se ha podido leer el formulario",
        it: "Impossibile leggere il modulo",
    }
    /// A portal form's field errors in the other languages (by their stable code; the English
    /// messages, which name the value typed, come from the app service).
    DevErrNameMissing { en: "The app needs a name.", fr: "L’app doit avoir un nom.", de: "Die App braucht einen Namen.", es: "La app necesita un nombre.", it: "L’app deve avere un nome." }
    /// `name_too_long`: at most `{max}` characters.
    DevErrNameTooLong { en: "The name is too long: at most {max} characters.", fr: "Le nom est trop long : {max} caractères au plus.", de: "Der Name ist zu lang: höchstens {max} Zeichen.", es: "El nombre es demasiado largo: como máximo {max} caracteres.", it: "Il nome è troppo lungo: al massimo {max} caratteri." }
    /// `name_invalid`.
    DevErrNameInvalid { en: "The name must be one line of text.", fr: "Le nom doit tenir sur une ligne.", de: "Der Name muss eine Textzeile sein.", es: "El nombre debe ser una sola línea de texto.", it: "Il nome deve essere una sola riga di testo." }
    /// `description_too_long`: at most `{max}` characters.
    DevErrDescriptionTooLong { en: "The description is too long: at most {max} characters.", fr: "La description est trop longue : {max} caractères au plus.", de: "Die Beschreibung ist zu lang: höchstens {max} Zeichen.", es: "La descripción es demasiado larga: como máximo {max} caracteres.", it: "La descrizione è troppo lunga: al massimo {max} caratteri." }
    /// `redirect_uri_missing`.
    DevErrRedirectMissing { en: "The app needs at least one redirect URI.", fr: "L’app doit avoir au moins une URI de redirection.", de: "Die App braucht mindestens eine Weiterleitungs-URI.", es: "La app necesita al menos una URI de redirección.", it: "L’app deve avere almeno un URI di reindirizzamento." }
    /// `redirect_uri_too_many` and `origin_too_many`.
    DevErrTooMany { en: "Too many lines: remove some.", fr: "Trop de lignes : supprimez-en.", de: "Zu viele Zeilen: Entfernen Sie einige.", es: "Demasiadas líneas: quita algunas.", it: "Troppe righe: rimuovine alcune." }
    /// `redirect_uri_duplicate` and `origin_duplicate`.
    DevErrDuplicate { en: "A line is listed twice: list each once.", fr: "Une ligne figure deux fois : indiquez chacune une seule fois.", de: "Eine Zeile steht doppelt da: Führen Sie jede nur einmal auf.", es: "Una línea aparece dos veces: indica cada una solo una vez.", it: "Una riga compare due volte: indicane ciascuna una sola volta." }
    /// `redirect_uri_invalid`, `origin_invalid`, `terms_url_invalid`, `privacy_url_invalid`.
    DevErrUrl {
        en: "This is not an address the provider accepts: https, or http on 127.0.0.1 / localhost only, without a user name or password.",
        fr: "Cette adresse n’est pas acceptée : https, ou http sur 127.0.0.1 / localhost seulement, sans nom d’utilisateur ni mot de passe.",
        de: "Diese Adresse wird nicht akzeptiert: https, oder http nur auf 127.0.0.1 / localhost, ohne Benutzername oder Passwort.",
        es: "Esta dirección no se acepta: https, o http solo en 127.0.0.1 / localhost, sin nombre de usuario ni contraseña.",
        it: "Questo indirizzo non è accettato: https, oppure http solo su 127.0.0.1 / localhost, senza nome utente né password.",
    }
    /// `scopes_missing`.
    DevErrScopesMissing { en: "Pick at least one scope the app may request.", fr: "Choisissez au moins une portée que l’app peut demander.", de: "Wählen Sie mindestens einen Bereich, den die App anfordern darf.", es: "Elige al menos un ámbito que la app pueda solicitar.", it: "Scegli almeno un ambito che l’app può richiedere." }
    /// `scope_unknown`.
    DevErrScopeUnknown { en: "A scope is not one this provider knows.", fr: "Une portée n’est pas connue de ce fournisseur.", de: "Ein Bereich ist diesem Anbieter nicht bekannt.", es: "Un ámbito no es conocido por este proveedor.", it: "Un ambito non è noto a questo provider." }
    /// `logo_empty`.
    DevErrLogoEmpty { en: "The logo file is empty.", fr: "Le fichier du logo est vide.", de: "Die Logodatei ist leer.", es: "El archivo del logotipo está vacío.", it: "Il file del logo è vuoto." }
    /// `logo_too_large`: at most `{kb}` KB.
    DevErrLogoTooLarge { en: "The logo is too large: at most {kb} KB.", fr: "Le logo est trop lourd : {kb} Ko au plus.", de: "Das Logo ist zu groß: höchstens {kb} KB.", es: "El logotipo es demasiado grande: como máximo {kb} KB.", it: "Il logo è troppo grande: al massimo {kb} KB." }
    /// `logo_type`.
    DevErrLogoType { en: "The logo must be a PNG or JPEG image.", fr: "Le logo doit être une image PNG ou JPEG.", de: "Das Logo muss ein PNG- oder JPEG-Bild sein.", es: "El logotipo debe ser una imagen PNG o JPEG.", it: "Il logo deve essere un’immagine PNG o JPEG." }
    /// `logo_unreadable`.
    DevErrLogoUnreadable { en: "The logo could not be read as an image.", fr: "Le logo n’a pas pu être lu comme une image.", de: "Das Logo konnte nicht als Bild gelesen werden.", es: "No se ha podido leer el logotipo como imagen.", it: "Impossibile leggere il logo come immagine." }
    /// `owner_unknown`.
    DevErrOwnerUnknown { en: "There is nobody with that username.", fr: "Personne n’a ce nom d’utilisateur.", de: "Niemand hat diesen Benutzernamen.", es: "No hay nadie con ese nombre de usuario.", it: "Nessuno ha questo nome utente." }
    /// `template_name_invalid`.
    DevErrTemplateNameInvalid {
        en: "The name must start with a-z and use only a-z, 0-9 and _ (at most 40).",
        fr: "Le nom doit commencer par a-z et n’utiliser que a-z, 0-9 et _ (40 au plus).",
        de: "Der Name muss mit a-z beginnen und darf nur a-z, 0-9 und _ enthalten (höchstens 40).",
        es: "El nombre debe empezar por a-z y usar solo a-z, 0-9 y _ (como máximo 40).",
        it: "Il nome deve iniziare con a-z e usare solo a-z, 0-9 e _ (al massimo 40).",
    }
    /// `template_name_taken`.
    DevErrTemplateNameTaken { en: "That name is taken: choose another.", fr: "Ce nom est déjà pris : choisissez-en un autre.", de: "Dieser Name ist vergeben: Wählen Sie einen anderen.", es: "Ese nombre ya está en uso: elige otro.", it: "Questo nome è già usato: scegline un altro." }
    /// The template text's codes (`template_text_*`, `template_braces`, `template_placeholder_unknown`).
    DevErrTemplateText {
        en: "The text must be one line, with only the placeholders listed above.",
        fr: "Le texte doit tenir sur une ligne, avec seulement les variables indiquées ci-dessus.",
        de: "Der Text muss eine Zeile sein und darf nur die oben genannten Platzhalter enthalten.",
        es: "El texto debe ser una sola línea, solo con los marcadores indicados arriba.",
        it: "Il testo deve essere una sola riga, con solo i segnaposto indicati sopra.",
    }
    /// A click-through address that names no shared link.
    DevLinkNotFound { en: "Link not found", fr: "Lien introuvable", de: "Link nicht gefunden", es: "Enlace no encontrado", it: "Link non trovato" }
    /// Its message.
    DevNoLinkHere {
        en: "There's no shared link at this address.",
        fr: "Aucun lien partagé ne se trouve à cette adresse.",
        de: "Unter dieser Adresse gibt es keinen geteilten Link.",
        es: "No hay ningún enlace compartido en esta dirección.",
        it: "A questo indirizzo non c’è nessun link condiviso.",
    }
    /// Revoking a secret the app does not have (or that is already revoked).
    DevNoSuchSecret {
        en: "The app has no unrevoked secret with that id.",
        fr: "L’app n’a aucun secret non révoqué portant cet identifiant.",
        de: "Die App hat kein nicht widerrufenes Geheimnis mit dieser ID.",
        es: "La app no tiene ningún secreto sin revocar con ese id.",
        it: "L’app non ha nessun segreto non revocato con questo id.",
    }
    // — Developer portal: the app's feed —
    /// The feed page's title.
    FeedTitle { en: "Feed", fr: "Flux", de: "Feed", es: "Fuente", it: "Feed" }
    /// What a feed does.
    FeedLead {
        en: "Publish an RSS or Atom feed and the provider turns each new entry into an activity for the people who use your app and allowed it to share for them (their consent includes wl.share). Their friends see it in their feed, with a \u{201c}Read more\u{201d} link to the entry and \u{201c}via\u{201d} your site.",
        fr: "Publiez un flux RSS ou Atom : le fournisseur transforme chaque nouvelle entrée en activité pour les personnes qui utilisent votre application et l’ont autorisée à partager pour elles (leur consentement inclut wl.share). Leurs amis la voient dans leur fil, avec un lien « Lire la suite » vers l’entrée et « via » votre site.",
        de: "Veröffentlichen Sie einen RSS- oder Atom-Feed: Der Anbieter macht aus jedem neuen Eintrag eine Aktivität für die Personen, die Ihre App nutzen und ihr das Teilen erlaubt haben (ihre Zustimmung umfasst wl.share). Ihre Freunde sehen sie in ihrem Feed, mit einem Link „Weiterlesen“ zum Eintrag und „über“ Ihre Website.",
        es: "Publique una fuente RSS o Atom y el proveedor convertirá cada entrada nueva en una actividad para las personas que usan su aplicación y le permitieron compartir por ellas (su consentimiento incluye wl.share). Sus amigos la verán en su feed, con un enlace «Leer más» a la entrada y «vía» su sitio.",
        it: "Pubblica un feed RSS o Atom e il provider trasforma ogni nuova voce in un’attività per le persone che usano la tua app e le hanno permesso di condividere per loro (il loro consenso include wl.share). I loro amici la vedono nel proprio feed, con un link «Continua a leggere» alla voce e «tramite» il tuo sito.",
    }
    /// The feed address field's label.
    FeedUrlLabel { en: "Feed address (http or https)", fr: "Adresse du flux (http ou https)", de: "Feed-Adresse (http oder https)", es: "Dirección de la fuente (http o https)", it: "Indirizzo del feed (http o https)" }
    /// The feed address field's hint.
    FeedUrlHint {
        en: "Public addresses only. Polled every few minutes with a conditional GET; at most 1 MB, 10 seconds.",
        fr: "Adresses publiques uniquement. Consulté toutes les quelques minutes par un GET conditionnel ; 1 Mo et 10 secondes au plus.",
        de: "Nur öffentliche Adressen. Wird alle paar Minuten mit einem bedingten GET abgerufen; höchstens 1 MB, 10 Sekunden.",
        es: "Solo direcciones públicas. Se consulta cada pocos minutos con un GET condicional; como máximo 1 MB y 10 segundos.",
        it: "Solo indirizzi pubblici. Interrogato ogni pochi minuti con un GET condizionale; al massimo 1 MB, 10 secondi.",
    }
    /// The save-feed button.
    FeedSave { en: "Save feed", fr: "Enregistrer le flux", de: "Feed speichern", es: "Guardar fuente", it: "Salva feed" }
    /// The check-now button.
    FeedCheck { en: "Check now", fr: "Vérifier maintenant", de: "Jetzt prüfen", es: "Comprobar ahora", it: "Controlla ora" }
    /// The remove-feed button.
    FeedRemove { en: "Remove feed", fr: "Supprimer le flux", de: "Feed entfernen", es: "Quitar fuente", it: "Rimuovi feed" }
    /// The app has no feed yet.
    FeedNone { en: "This app has no feed.", fr: "Cette application n’a pas de flux.", de: "Diese App hat keinen Feed.", es: "Esta aplicación no tiene fuente.", it: "Questa app non ha un feed." }
    /// The status heading.
    FeedStatus { en: "Last check", fr: "Dernière vérification", de: "Letzte Prüfung", es: "Última comprobación", it: "Ultimo controllo" }
    /// Never checked.
    FeedNever { en: "never", fr: "jamais", de: "nie", es: "nunca", it: "mai" }
    /// The feed was saved.
    FeedSaved {
        en: "Feed saved. It is checked within a few minutes, or now with \u{201c}Check now\u{201d}.",
        fr: "Flux enregistré. Il sera vérifié d’ici quelques minutes, ou tout de suite avec « Vérifier maintenant ».",
        de: "Feed gespeichert. Er wird in wenigen Minuten geprüft, oder sofort mit „Jetzt prüfen“.",
        es: "Fuente guardada. Se comprobará en unos minutos, o ahora con «Comprobar ahora».",
        it: "Feed salvato. Verrà controllato entro pochi minuti, o subito con «Controlla ora».",
    }
    /// The feed was removed.
    FeedRemoved {
        en: "Feed removed. Entries already published stay.",
        fr: "Flux supprimé. Les entrées déjà publiées restent.",
        de: "Feed entfernt. Bereits veröffentlichte Einträge bleiben.",
        es: "Fuente quitada. Las entradas ya publicadas se mantienen.",
        it: "Feed rimosso. Le voci già pubblicate restano.",
    }
    /// After a number: the entries published so far.
    FeedSeen { en: "entries published so far", fr: "entrées publiées jusqu’ici", de: "bisher veröffentlichte Einträge", es: "entradas publicadas hasta ahora", it: "voci pubblicate finora" }
    /// After the number 1: the one entry published so far.
    FeedSeenOne { en: "entry published so far", fr: "entrée publiée jusqu’ici", de: "bisher veröffentlichter Eintrag", es: "entrada publicada hasta ahora", it: "voce pubblicata finora" }
    /// The last check, said from its code and values (the stored English message otherwise).
    /// Not checked yet (`pending`).
    FeedSaysPending {
        en: "Not checked yet.",
        fr: "Pas encore vérifié.",
        de: "Noch nicht geprüft.",
        es: "Aún no comprobada.",
        it: "Non ancora controllato.",
    }
    /// A poll that read the feed (`ok`): `{read}` entries read, `{new}` new, `{written}` activities written.
    FeedSaysOk {
        en: "Entries read: {read}, new: {new}, activities written: {written}.",
        fr: "Entrées lues : {read}, nouvelles : {new}, activités écrites : {written}.",
        de: "Gelesene Einträge: {read}, neu: {new}, geschriebene Aktivitäten: {written}.",
        es: "Entradas leídas: {read}, nuevas: {new}, actividades escritas: {written}.",
        it: "Voci lette: {read}, nuove: {new}, attività scritte: {written}.",
    }
    /// `not_modified`.
    FeedSaysNotModified {
        en: "Not modified since the last check.",
        fr: "Pas modifié depuis la dernière vérification.",
        de: "Seit der letzten Prüfung unverändert.",
        es: "Sin cambios desde la última comprobación.",
        it: "Nessuna modifica dall’ultimo controllo.",
    }
    /// `feed_url_invalid`.
    FeedSaysUrlInvalid {
        en: "The feed’s address must be an http or https URL.",
        fr: "L’adresse du flux doit être une URL http ou https.",
        de: "Die Feed-Adresse muss eine http- oder https-URL sein.",
        es: "La dirección de la fuente debe ser una URL http o https.",
        it: "L’indirizzo del feed deve essere un URL http o https.",
    }
    /// `feed_host_refused`: `{host}` the refused host or address.
    FeedSaysHostRefused {
        en: "{host} is not a public address: feeds are fetched from public hosts only.",
        fr: "{host} n’est pas une adresse publique : les flux ne sont lus que sur des hôtes publics.",
        de: "{host} ist keine öffentliche Adresse: Feeds werden nur von öffentlichen Hosts abgerufen.",
        es: "{host} no es una dirección pública: las fuentes solo se obtienen de hosts públicos.",
        it: "{host} non è un indirizzo pubblico: i feed vengono letti solo da host pubblici.",
    }
    /// `feed_unreachable`: `{why}` the network's words.
    FeedSaysUnreachable {
        en: "Could not reach the feed’s server ({why}).",
        fr: "Impossible de joindre le serveur du flux ({why}).",
        de: "Der Server des Feeds war nicht erreichbar ({why}).",
        es: "No se pudo contactar con el servidor de la fuente ({why}).",
        it: "Impossibile raggiungere il server del feed ({why}).",
    }
    /// `feed_timeout`: `{seconds}`.
    FeedSaysTimeout {
        en: "The feed’s server did not answer within {seconds} seconds.",
        fr: "Le serveur du flux n’a pas répondu en {seconds} secondes.",
        de: "Der Server des Feeds hat nicht innerhalb von {seconds} Sekunden geantwortet.",
        es: "El servidor de la fuente no respondió en {seconds} segundos.",
        it: "Il server del feed non ha risposto entro {seconds} secondi.",
    }
    /// `feed_http_error`: `{status}` the HTTP status.
    FeedSaysHttp {
        en: "The feed’s server answered HTTP {status}.",
        fr: "Le serveur du flux a répondu HTTP {status}.",
        de: "Der Server des Feeds antwortete mit HTTP {status}.",
        es: "El servidor de la fuente respondió HTTP {status}.",
        it: "Il server del feed ha risposto HTTP {status}.",
    }
    /// `feed_too_large`: `{bytes}` the cap.
    FeedSaysTooLarge {
        en: "The feed is larger than {bytes} bytes.",
        fr: "Le flux dépasse {bytes} octets.",
        de: "Der Feed ist größer als {bytes} Bytes.",
        es: "La fuente ocupa más de {bytes} bytes.",
        it: "Il feed supera i {bytes} byte.",
    }
    /// `feed_redirects`.
    FeedSaysRedirects {
        en: "The feed’s address redirects too often or to nowhere.",
        fr: "L’adresse du flux redirige trop souvent ou vers nulle part.",
        de: "Die Feed-Adresse leitet zu oft oder ins Leere um.",
        es: "La dirección de la fuente redirige demasiadas veces o a ninguna parte.",
        it: "L’indirizzo del feed reindirizza troppe volte o verso nessuna destinazione.",
    }
    /// `feed_xml_invalid`: `{why}` the XML reader's words.
    FeedSaysXml {
        en: "The feed is not well-formed XML ({why}).",
        fr: "Le flux n’est pas un XML bien formé ({why}).",
        de: "Der Feed ist kein wohlgeformtes XML ({why}).",
        es: "La fuente no es XML bien formado ({why}).",
        it: "Il feed non è XML ben formato ({why}).",
    }
    /// `feed_not_a_feed`: `{root}` the document's root element.
    FeedSaysNotAFeed {
        en: "The document is not an RSS or Atom feed (its root is <{root}>).",
        fr: "Le document n’est pas un flux RSS ou Atom (sa racine est <{root}>).",
        de: "Das Dokument ist kein RSS- oder Atom-Feed (sein Wurzelelement ist <{root}>).",
        es: "El documento no es una fuente RSS ni Atom (su raíz es <{root}>).",
        it: "Il documento non è un feed RSS o Atom (la sua radice è <{root}>).",
    }
    /// The link back to the app's page.
    FeedBack { en: "Back to the app", fr: "Retour à l’application", de: "Zurück zur App", es: "Volver a la aplicación", it: "Torna all’app" }

    // — The portal's client secrets —
    /// The secrets page's heading and title.
    DevClientSecrets { en: "Client secrets", fr: "Secrets client", de: "Client-Geheimnisse", es: "Secretos de cliente", it: "Segreti client" }
    /// Under the heading: `{app}` its name, `{id}` its client id (code).
    DevAppAndId { en: "{app} · client id {id}", fr: "{app} · identifiant client {id}", de: "{app} · Client-ID {id}", es: "{app} · ID de cliente {id}", it: "{app} · ID client {id}" }
    /// After revoking secret `{id}`.
    DevSecretRevoked {
        en: "Secret {id} is revoked: it no longer authenticates anything.",
        fr: "Le secret {id} est révoqué : il n’authentifie plus rien.",
        de: "Das Geheimnis {id} ist widerrufen: Es authentifiziert nichts mehr.",
        es: "El secreto {id} está revocado: ya no autentica nada.",
        it: "Il segreto {id} è revocato: non autentica più nulla.",
    }
    /// A wrong overlap: at most `{max}` hours.
    DevOverlapInvalid {
        en: "The overlap must be a whole number of hours from 0 to {max}. Nothing was changed.",
        fr: "Le chevauchement doit être un nombre entier d’heures de 0 à {max}. Rien n’a été modifié.",
        de: "Die Überlappung muss eine ganze Zahl von Stunden zwischen 0 und {max} sein. Es wurde nichts geändert.",
        es: "El solapamiento debe ser un número entero de horas de 0 a {max}. No se ha cambiado nada.",
        it: "La sovrapposizione deve essere un numero intero di ore da 0 a {max}. Non è stato modificato nulla.",
    }
    /// After a refused revocation.
    DevNothingChanged { en: "Nothing was changed.", fr: "Rien n’a été modifié.", de: "Es wurde nichts geändert.", es: "No se ha cambiado nada.", it: "Non è stato modificato nulla." }
    /// A secret's status: revoked at `{at}`.
    DevRevokedAt { en: "Revoked {at}", fr: "Révoqué le {at}", de: "Widerrufen am {at}", es: "Revocado el {at}", it: "Revocato il {at}" }
    /// A secret's status: expired at `{at}`.
    DevExpiredAt { en: "Expired {at}", fr: "Expiré le {at}", de: "Abgelaufen am {at}", es: "Caducado el {at}", it: "Scaduto il {at}" }
    /// A secret's status: rotated, works until `{at}`.
    DevWorksUntil { en: "Works until {at} (rotated)", fr: "Valable jusqu’au {at} (remplacé)", de: "Gültig bis {at} (ersetzt)", es: "Válido hasta el {at} (rotado)", it: "Valido fino al {at} (sostituito)" }
    /// A secret's status: live.
    DevLive { en: "Live", fr: "Actif", de: "Aktiv", es: "Activo", it: "Attivo" }
    /// The new secret's label: `{id}` is its id.
    DevNewSecretLabel {
        en: "Your new client secret (id {id})",
        fr: "Votre nouveau secret client (id {id})",
        de: "Ihr neues Client-Geheimnis (ID {id})",
        es: "Tu nuevo secreto de cliente (id {id})",
        it: "Il tuo nuovo segreto client (id {id})",
    }
    /// The new secret's warning (bold).
    DevCopyNow {
        en: "Copy it now: it is shown only this once.",
        fr: "Copiez-le maintenant : il n’est affiché que cette fois.",
        de: "Kopieren Sie es jetzt: Es wird nur dieses eine Mal angezeigt.",
        es: "Cópialo ahora: solo se muestra esta vez.",
        it: "Copialo ora: viene mostrato solo questa volta.",
    }
    /// The new secret's advice.
    DevKeepsHash {
        en: "wl-connect keeps only a hash of it. Put it in your back end's configuration, never in a web page or an app people download.",
        fr: "wl-connect n’en garde qu’une empreinte. Mettez-le dans la configuration de votre serveur, jamais dans une page web ni dans une app que l’on télécharge.",
        de: "wl-connect speichert nur einen Hash davon. Legen Sie es in der Konfiguration Ihres Back-Ends ab, nie in einer Webseite oder einer App, die man herunterlädt.",
        es: "wl-connect solo guarda un hash. Ponlo en la configuración de tu servidor, nunca en una página web ni en una app que la gente descargue.",
        it: "wl-connect ne conserva solo un hash. Mettilo nella configurazione del tuo back end, mai in una pagina web o in un’app che si scarica.",
    }
    /// The replaced secrets work until `{at}`.
    DevOldUntil {
        en: "The secrets it replaces keep working until {at}.",
        fr: "Les secrets qu’il remplace restent valables jusqu’au {at}.",
        de: "Die ersetzten Geheimnisse bleiben bis {at} gültig.",
        es: "Los secretos que sustituye siguen funcionando hasta el {at}.",
        it: "I segreti che sostituisce restano validi fino al {at}.",
    }
    /// A public app (no secret).
    DevPublicApp {
        en: "This app is public: it has no secret, and its pages exchange codes with PKCE alone. Make a secret when a back end (a server) exchanges the codes: from then on the app is confidential, and every token request must carry a live secret.",
        fr: "Cette app est publique : elle n’a pas de secret, et ses pages échangent les codes avec PKCE seul. Créez un secret quand un serveur échange les codes : l’app devient alors confidentielle, et chaque demande de jeton doit porter un secret actif.",
        de: "Diese App ist öffentlich: Sie hat kein Geheimnis, und ihre Seiten tauschen Codes nur mit PKCE ein. Erstellen Sie ein Geheimnis, wenn ein Back-End (ein Server) die Codes eintauscht: Ab dann ist die App vertraulich, und jede Token-Anfrage muss ein aktives Geheimnis enthalten.",
        es: "Esta app es pública: no tiene secreto y sus páginas canjean los códigos solo con PKCE. Crea un secreto cuando un servidor canjee los códigos: desde entonces la app es confidencial y cada solicitud de token debe llevar un secreto activo.",
        it: "Questa app è pubblica: non ha segreti e le sue pagine scambiano i codici solo con PKCE. Crea un segreto quando un back end (un server) scambia i codici: da quel momento l’app è riservata e ogni richiesta di token deve contenere un segreto attivo.",
    }
    /// A confidential app.
    DevConfidentialApp {
        en: "This app is confidential: every request to /token and /revoke must carry a live secret (HTTP Basic or client_secret in the form), from a server, never from a browser.",
        fr: "Cette app est confidentielle : chaque requête vers /token et /revoke doit porter un secret actif (HTTP Basic ou client_secret dans le formulaire), depuis un serveur, jamais depuis un navigateur.",
        de: "Diese App ist vertraulich: Jede Anfrage an /token und /revoke muss ein aktives Geheimnis enthalten (HTTP Basic oder client_secret im Formular), von einem Server, nie aus einem Browser.",
        es: "Esta app es confidencial: cada solicitud a /token y /revoke debe llevar un secreto activo (HTTP Basic o client_secret en el formulario), desde un servidor, nunca desde un navegador.",
        it: "Questa app è riservata: ogni richiesta a /token e /revoke deve contenere un segreto attivo (HTTP Basic o client_secret nel modulo), da un server, mai da un browser.",
    }
    /// A secret's heading: `{id}` is its id (code).
    DevSecretN { en: "Secret {id}", fr: "Secret {id}", de: "Geheimnis {id}", es: "Secreto {id}", it: "Segreto {id}" }
    /// A secret's creation: `{at}`.
    DevMadeAt { en: "made {at}", fr: "créé le {at}", de: "erstellt am {at}", es: "creado el {at}", it: "creato il {at}" }
    /// A secret's last use: `{at}`.
    DevLastUsed { en: "last used {at}", fr: "dernière utilisation le {at}", de: "zuletzt verwendet am {at}", es: "último uso el {at}", it: "ultimo uso il {at}" }
    /// A secret never used.
    DevNeverUsed { en: "never used", fr: "jamais utilisé", de: "nie verwendet", es: "nunca usado", it: "mai usato" }
    /// The revoke button.
    DevRevokeNow { en: "Revoke now", fr: "Révoquer maintenant", de: "Jetzt widerrufen", es: "Revocar ahora", it: "Revoca ora" }
    /// The revoke button's label: `{id}` is the secret's.
    DevRevokeSecretNow { en: "Revoke secret {id} now", fr: "Révoquer le secret {id} maintenant", de: "Geheimnis {id} jetzt widerrufen", es: "Revocar el secreto {id} ahora", it: "Revoca ora il segreto {id}" }
    /// The rotate section and button.
    DevRotate { en: "Rotate", fr: "Remplacer", de: "Ersetzen", es: "Rotar", it: "Sostituisci" }
    /// What rotating does.
    DevRotateHint {
        en: "Makes a new secret; the live ones keep working for the overlap, so you can deploy the new one first.",
        fr: "Crée un nouveau secret ; les secrets actifs restent valables pendant le chevauchement, pour que vous puissiez d’abord déployer le nouveau.",
        de: "Erstellt ein neues Geheimnis; die aktiven bleiben während der Überlappung gültig, sodass Sie zuerst das neue einsetzen können.",
        es: "Crea un secreto nuevo; los activos siguen funcionando durante el solapamiento, para que puedas desplegar antes el nuevo.",
        it: "Crea un nuovo segreto; quelli attivi restano validi per la sovrapposizione, così puoi distribuire prima quello nuovo.",
    }
    /// The overlap field.
    DevOverlap {
        en: "Old secrets keep working for (hours)",
        fr: "Les anciens secrets restent valables pendant (heures)",
        de: "Alte Geheimnisse bleiben gültig für (Stunden)",
        es: "Los secretos antiguos siguen funcionando durante (horas)",
        it: "I vecchi segreti restano validi per (ore)",
    }
    /// The overlap's hint: at most `{max}`.
    DevOverlapHint { en: "0 to {max}; 0 stops them at once.", fr: "De 0 à {max} ; 0 les arrête aussitôt.", de: "0 bis {max}; 0 beendet sie sofort.", es: "De 0 a {max}; 0 los detiene de inmediato.", it: "Da 0 a {max}; 0 li ferma subito." }
    /// Before the "one more secret" button.
    DevOneMoreHint {
        en: "Or add one more secret and leave the others as they are (e.g. one per back end).",
        fr: "Ou ajoutez un secret de plus et laissez les autres tels quels (par ex. un par serveur).",
        de: "Oder fügen Sie ein weiteres Geheimnis hinzu und lassen die anderen, wie sie sind (z. B. eines pro Back-End).",
        es: "O añade otro secreto y deja los demás como están (p. ej., uno por servidor).",
        it: "Oppure aggiungi un altro segreto e lascia gli altri come sono (ad es. uno per back end).",
    }
    /// The "one more secret" button.
    DevNewSecretKeep {
        en: "New secret (the others stay live)",
        fr: "Nouveau secret (les autres restent actifs)",
        de: "Neues Geheimnis (die anderen bleiben aktiv)",
        es: "Nuevo secreto (los demás siguen activos)",
        it: "Nuovo segreto (gli altri restano attivi)",
    }
    /// The first secret's button.
    DevNewSecret { en: "New secret", fr: "Nouveau secret", de: "Neues Geheimnis", es: "Nuevo secreto", it: "Nuovo segreto" }
    /// Where the docs are: `{doc}` is the file.
    DevHowBackEnd {
        en: "How a back end uses it: see {doc}.",
        fr: "Comment un serveur l’utilise : voir {doc}.",
        de: "Wie ein Back-End es verwendet: siehe {doc}.",
        es: "Cómo lo usa un servidor: consulta {doc}.",
        it: "Come lo usa un back end: vedi {doc}.",
    }
    /// The link back to the list.
    DevBackToApps { en: "Back to your apps", fr: "Retour à vos apps", de: "Zurück zu Ihren Apps", es: "Volver a tus apps", it: "Torna alle tue app" }

    // — The portal's statistics —
    /// The statistics page's heading and title: `{app}` is the app's name.
    DevStatsOf { en: "Statistics: {app}", fr: "Statistiques : {app}", de: "Statistiken: {app}", es: "Estadísticas: {app}", it: "Statistiche: {app}" }
    /// Under the heading: the range `{from}` to `{to}`.
    DevStatsRange {
        en: "Counts only, by UTC day, {from} to {to}. Active people are estimates (about ±3 %).",
        fr: "Des comptes seulement, par jour UTC, du {from} au {to}. Les personnes actives sont des estimations (environ ±3 %).",
        de: "Nur Zählungen, je UTC-Tag, vom {from} bis {to}. Aktive Personen sind Schätzungen (etwa ±3 %).",
        es: "Solo recuentos, por día UTC, del {from} al {to}. Las personas activas son estimaciones (aprox. ±3 %).",
        it: "Solo conteggi, per giorno UTC, dal {from} al {to}. Le persone attive sono stime (circa ±3 %).",
    }
    /// The range picker's start.
    DevFrom { en: "From", fr: "Du", de: "Von", es: "Desde", it: "Dal" }
    /// The range picker's end.
    DevTo { en: "To", fr: "Au", de: "Bis", es: "Hasta", it: "Al" }
    /// The range picker's button.
    DevShow { en: "Show", fr: "Afficher", de: "Anzeigen", es: "Mostrar", it: "Mostra" }
    /// The CSV link.
    DevDownloadCsv { en: "Download CSV", fr: "Télécharger le CSV", de: "CSV herunterladen", es: "Descargar CSV", it: "Scarica CSV" }
    /// Sign-ins (a tile, a series).
    DevSignins { en: "Sign-ins", fr: "Connexions", de: "Anmeldungen", es: "Inicios de sesión", it: "Accessi" }
    /// New consents.
    DevConsents { en: "New consents", fr: "Nouveaux consentements", de: "Neue Zustimmungen", es: "Nuevos consentimientos", it: "Nuovi consensi" }
    /// Revocations.
    DevRevocations { en: "Revocations", fr: "Révocations", de: "Widerrufe", es: "Revocaciones", it: "Revoche" }
    /// Daily active people.
    DevDailyActives { en: "Daily active people", fr: "Personnes actives par jour", de: "Täglich aktive Personen", es: "Personas activas al día", it: "Persone attive al giorno" }
    /// Monthly active people.
    DevMonthlyActives { en: "Monthly active people", fr: "Personnes actives par mois", de: "Monatlich aktive Personen", es: "Personas activas al mes", it: "Persone attive al mese" }
    /// Activities.
    DevActivities { en: "Activities", fr: "Activités", de: "Aktivitäten", es: "Actividades", it: "Attività" }
    /// Shares.
    DevShares { en: "Shares", fr: "Partages", de: "Geteilte Inhalte", es: "Veces compartido", it: "Condivisioni" }
    /// Click-throughs.
    DevClicks { en: "Click-throughs", fr: "Clics", de: "Klicks", es: "Clics", it: "Clic" }
    /// Conversations started.
    DevConversations { en: "Conversations started", fr: "Conversations commencées", de: "Begonnene Unterhaltungen", es: "Conversaciones iniciadas", it: "Conversazioni avviate" }
    /// API calls.
    DevApiCalls { en: "API calls", fr: "Appels d’API", de: "API-Aufrufe", es: "Llamadas a la API", it: "Chiamate API" }
    /// API errors.
    DevApiErrors { en: "API errors", fr: "Erreurs d’API", de: "API-Fehler", es: "Errores de la API", it: "Errori API" }
    /// A chart's heading.
    DevChartPeople { en: "Sign-ins, consents and revocations", fr: "Connexions, consentements et révocations", de: "Anmeldungen, Zustimmungen und Widerrufe", es: "Inicios de sesión, consentimientos y revocaciones", it: "Accessi, consensi e revoche" }
    /// A chart's heading.
    DevChartActives { en: "Active people", fr: "Personnes actives", de: "Aktive Personen", es: "Personas activas", it: "Persone attive" }
    /// A chart's heading.
    DevChartSharing { en: "Activities, shares and click-throughs", fr: "Activités, partages et clics", de: "Aktivitäten, geteilte Inhalte und Klicks", es: "Actividades, veces compartido y clics", it: "Attività, condivisioni e clic" }
    /// A chart's heading.
    DevChartApi { en: "API calls and errors", fr: "Appels d’API et erreurs", de: "API-Aufrufe und Fehler", es: "Llamadas a la API y errores", it: "Chiamate API ed errori" }
    /// A chart's label: `{title}` is its heading.
    DevChartLabel { en: "{title} (chart)", fr: "{title} (graphique)", de: "{title} (Diagramm)", es: "{title} (gráfico)", it: "{title} (grafico)" }
    /// A table's label: `{title}` is its heading.
    DevDataLabel { en: "{title}: data", fr: "{title} : données", de: "{title}: Daten", es: "{title}: datos", it: "{title}: dati" }
    /// A series in a chart's description.
    DevSeriesDesc {
        en: "{label}: total {total}, highest day {peak}",
        fr: "{label} : total {total}, jour le plus haut {peak}",
        de: "{label}: insgesamt {total}, höchster Tag {peak}",
        es: "{label}: total {total}, día más alto {peak}",
        it: "{label}: totale {total}, giorno più alto {peak}",
    }
    /// A chart's description: `{from}`, `{to}`, the series `{series}`.
    DevChartDesc {
        en: "Daily values from {from} to {to}. {series}.",
        fr: "Valeurs quotidiennes du {from} au {to}. {series}.",
        de: "Tageswerte vom {from} bis {to}. {series}.",
        es: "Valores diarios del {from} al {to}. {series}.",
        it: "Valori giornalieri dal {from} al {to}. {series}.",
    }
    /// A table's caption: `{title}` is its heading.
    DevByDay { en: "{title}, by day (UTC)", fr: "{title}, par jour (UTC)", de: "{title}, pro Tag (UTC)", es: "{title}, por día (UTC)", it: "{title}, per giorno (UTC)" }
    /// A table's date column.
    DevDate { en: "Date", fr: "Date", de: "Datum", es: "Fecha", it: "Data" }
    /// The endpoint chart's heading.
    DevByEndpoint { en: "API calls by endpoint", fr: "Appels d’API par point d’accès", de: "API-Aufrufe nach Endpunkt", es: "Llamadas a la API por endpoint", it: "Chiamate API per endpoint" }
    /// No API calls.
    DevNoApiCalls { en: "No API calls in this range.", fr: "Aucun appel d’API sur cette période.", de: "Keine API-Aufrufe in diesem Zeitraum.", es: "No hay llamadas a la API en este intervalo.", it: "Nessuna chiamata API in questo intervallo." }
    /// An endpoint in the chart's description.
    DevEndpointCalls { en: "{endpoint}: {n} calls", fr: "{endpoint} : {n} appels", de: "{endpoint}: {n} Aufrufe", es: "{endpoint}: {n} llamadas", it: "{endpoint}: {n} chiamate" }
    /// The endpoint table's caption.
    DevEndpointCaption {
        en: "API calls by endpoint and status class, {from} to {to}",
        fr: "Appels d’API par point d’accès et classe de statut, du {from} au {to}",
        de: "API-Aufrufe nach Endpunkt und Statusklasse, vom {from} bis {to}",
        es: "Llamadas a la API por endpoint y clase de estado, del {from} al {to}",
        it: "Chiamate API per endpoint e classe di stato, dal {from} al {to}",
    }
    /// The endpoint column.
    DevEndpoint { en: "Endpoint", fr: "Point d’accès", de: "Endpunkt", es: "Endpoint", it: "Endpoint" }
    /// The total column.
    DevTotal { en: "Total", fr: "Total", de: "Gesamt", es: "Total", it: "Totale" }
    /// An empty count table.
    DevNoneInRange { en: "None in this range.", fr: "Aucun sur cette période.", de: "Keine in diesem Zeitraum.", es: "Ninguno en este intervalo.", it: "Nessuno in questo intervallo." }
    /// The count column.
    DevCount { en: "Count", fr: "Nombre", de: "Anzahl", es: "Cantidad", it: "Numero" }
    /// The errors table's heading.
    DevErrorsByCode { en: "API errors by code", fr: "Erreurs d’API par code", de: "API-Fehler nach Code", es: "Errores de la API por código", it: "Errori API per codice" }
    /// The code column.
    DevCode { en: "Code", fr: "Code", de: "Code", es: "Código", it: "Codice" }
    /// The scopes table's heading.
    DevScopesGranted { en: "Scopes granted", fr: "Portées accordées", de: "Gewährte Bereiche", es: "Ámbitos concedidos", it: "Ambiti concessi" }
    /// The scope column.
    DevScope { en: "Scope", fr: "Portée", de: "Bereich", es: "Ámbito", it: "Ambito" }
    // — Scopes (the consent screen and the connected apps) —
    /// `openid`.
    ScopeOpenid {
        en: "Sign you in with your wl-connect account",
        fr: "Vous connecter avec votre compte wl-connect",
        de: "Sie mit Ihrem wl-connect-Konto anmelden",
        es: "Iniciar tu sesión con tu cuenta de wl-connect",
        it: "Farti accedere con il tuo account wl-connect",
    }
    /// `wl.signin`.
    ScopeSignin {
        en: "Sign you in automatically when you're already signed in to wl-connect",
        fr: "Vous connecter automatiquement quand vous êtes déjà connecté à wl-connect",
        de: "Sie automatisch anmelden, wenn Sie bereits bei wl-connect angemeldet sind",
        es: "Iniciar tu sesión automáticamente cuando ya la tengas iniciada en wl-connect",
        it: "Farti accedere automaticamente quando hai già effettuato l’accesso a wl-connect",
    }
    /// `profile`.
    ScopeProfile {
        en: "See your name, profile picture and language",
        fr: "Voir votre nom, votre photo de profil et votre langue",
        de: "Ihren Namen, Ihr Profilbild und Ihre Sprache sehen",
        es: "Ver tu nombre, tu foto de perfil y tu idioma",
        it: "Vedere il tuo nome, la tua immagine del profilo e la tua lingua",
    }
    /// `wl.basic`.
    ScopeBasic {
        en: "See your profile info and your list of friends",
        fr: "Voir les informations de votre profil et votre liste d’amis",
        de: "Ihre Profilinfos und Ihre Freundesliste sehen",
        es: "Ver la información de tu perfil y tu lista de amigos",
        it: "Vedere le informazioni del tuo profilo e il tuo elenco di amici",
    }
    /// `email`.
    ScopeEmail {
        en: "See your email address",
        fr: "Voir votre adresse e-mail",
        de: "Ihre E-Mail-Adresse sehen",
        es: "Ver tu dirección de correo electrónico",
        it: "Vedere il tuo indirizzo email",
    }
    /// `wl.emails`.
    ScopeEmails {
        en: "See your email addresses",
        fr: "Voir vos adresses e-mail",
        de: "Ihre E-Mail-Adressen sehen",
        es: "Ver tus direcciones de correo electrónico",
        it: "Vedere i tuoi indirizzi email",
    }
    /// `wl.contacts`.
    ScopeContacts {
        en: "See your contacts and their details",
        fr: "Voir vos contacts et leurs coordonnées",
        de: "Ihre Kontakte und deren Details sehen",
        es: "Ver tus contactos y sus datos",
        it: "Vedere i tuoi contatti e i loro dettagli",
    }
    /// `wl.share`.
    ScopeShare {
        en: "Share links and updates with your friends for you",
        fr: "Partager des liens et des nouvelles avec vos amis en votre nom",
        de: "In Ihrem Namen Links und Neuigkeiten mit Ihren Freunden teilen",
        es: "Compartir enlaces y novedades con tus amigos en tu nombre",
        it: "Condividere link e aggiornamenti con i tuoi amici per tuo conto",
    }
    /// `wl.messenger`.
    ScopeMessenger {
        en: "Show when you're online and chat with your friends as you",
        fr: "Indiquer quand vous êtes en ligne et discuter avec vos amis en votre nom",
        de: "Zeigen, wann Sie online sind, und in Ihrem Namen mit Ihren Freunden chatten",
        es: "Mostrar cuándo estás en línea y chatear con tus amigos en tu nombre",
        it: "Mostrare quando sei online e chattare con i tuoi amici a nome tuo",
    }
    /// `wl.photos`.
    ScopePhotos {
        en: "See your photo albums and add photos to them",
        fr: "Voir vos albums photo et y ajouter des photos",
        de: "Ihre Fotoalben sehen und Fotos hinzufügen",
        es: "Ver tus álbumes de fotos y añadirles fotos",
        it: "Vedere i tuoi album fotografici e aggiungervi foto",
    }
    /// `wl.calendars`.
    ScopeCalendars {
        en: "See your calendars and the events in them",
        fr: "Voir vos calendriers et leurs événements",
        de: "Ihre Kalender und deren Termine sehen",
        es: "Ver tus calendarios y sus eventos",
        it: "Vedere i tuoi calendari e i relativi eventi",
    }
    /// `wl.calendars_update`.
    ScopeCalendarsUpdate {
        en: "Add, change and delete events in your calendars",
        fr: "Ajouter, modifier et supprimer des événements dans vos calendriers",
        de: "Termine in Ihren Kalendern hinzufügen, ändern und löschen",
        es: "Añadir, cambiar y eliminar eventos de tus calendarios",
        it: "Aggiungere, modificare ed eliminare eventi nei tuoi calendari",
    }
    /// `offline_access`.
    ScopeOffline {
        en: "Keep access to this info when you're not using the app",
        fr: "Garder l’accès à ces informations quand vous n’utilisez pas l’app",
        de: "Auf diese Infos zugreifen, auch wenn Sie die App nicht verwenden",
        es: "Mantener el acceso a esta información cuando no uses la app",
        it: "Mantenere l’accesso a queste informazioni quando non usi l’app",
    }
    /// `wl.offline_access`.
    ScopeWlOffline {
        en: "Access your info at any time, even when you're not using the app",
        fr: "Accéder à vos informations à tout moment, même quand vous n’utilisez pas l’app",
        de: "Jederzeit auf Ihre Infos zugreifen, auch wenn Sie die App nicht verwenden",
        es: "Acceder a tu información en cualquier momento, incluso cuando no uses la app",
        it: "Accedere alle tue informazioni in qualsiasi momento, anche quando non usi l’app",
    }
}

/// The description of a scope (by its wire name) in the current locale.
pub fn scope_description(name: &str, english: &'static str) -> &'static str {
    let key = match name {
        "openid" => M::ScopeOpenid,
        "wl.signin" => M::ScopeSignin,
        "profile" => M::ScopeProfile,
        "wl.basic" => M::ScopeBasic,
        "email" => M::ScopeEmail,
        "wl.emails" => M::ScopeEmails,
        "wl.contacts" => M::ScopeContacts,
        "wl.share" => M::ScopeShare,
        "wl.messenger" => M::ScopeMessenger,
        "wl.photos" => M::ScopePhotos,
        "wl.calendars" => M::ScopeCalendars,
        "wl.calendars_update" => M::ScopeCalendarsUpdate,
        "offline_access" => M::ScopeOffline,
        "wl.offline_access" => M::ScopeWlOffline,
        _ => return english,
    };
    super::t(key)
}

/// Messages that are the same words in every language (names, formats).
pub const SAME_IN_ALL: &[M] = &[M::TitleSuffix, M::DateFormat];

/// Messages whose text in one language is, rightly, the English one.
pub const SAME_AS_ENGLISH: &[(M, Locale)] = &[
    (M::FeedTitle, Locale::De),
    (M::FeedTitle, Locale::It),
    (M::Password, Locale::It),
    (M::DateTimeFormat, Locale::Es),
    (M::Invitations, Locale::Fr),
    (M::Message, Locale::Fr),
    (M::Optional, Locale::De),
    (M::DevName, Locale::De),
    (M::DevDescription, Locale::Fr),
    (M::DevLogo, Locale::Fr),
    (M::DevLogo, Locale::De),
    (M::DevLogo, Locale::It),
    (M::DevText, Locale::De),
    (M::DevOneToken, Locale::Es),
    (M::DevOneToken, Locale::It),
    (M::DevNTokens, Locale::Es),
    (M::DevSecrets, Locale::Fr),
    (M::DevSecretN, Locale::Fr),
    (M::DevDate, Locale::Fr),
    (M::DevTotal, Locale::Fr),
    (M::DevTotal, Locale::Es),
    (M::DevCode, Locale::Fr),
    (M::DevCode, Locale::De),
    (M::DevEndpoint, Locale::Es),
    (M::DevEndpoint, Locale::It),
];
