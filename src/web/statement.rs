//! `/tillganglighet`: the accessibility statement ("tillgänglighetsredogörelse"), in the form
//! Swedish public bodies publish under the law on accessible digital public services
//! (2018:1937): how accessible the service is, what is not and why, how to report a
//! problem, the supervisory authority, and how and when the service was tested. Anyone may
//! read it, signed in or not; every page's footer links to it.

use super::App;
use super::layout::{lang_of, page};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Html;
use handback::i18n::Lang;
use maud::{Markup, html};

/// When the service was last assessed, and the statement written.
const ASSESSED_ON: &str = "2026-12-03";

/// Text in both languages: (Swedish, English).
type Both = (&'static str, &'static str);

fn pick(lang: Lang, (sv, en): Both) -> &'static str {
    if lang == Lang::Sv { sv } else { en }
}

/// The statement's sections: a heading, its paragraphs, and a list.
struct Section {
    heading: Both,
    paragraphs: &'static [Both],
    list: &'static [Both],
}

const INTRO: Both = (
    "Den organisation som driver handback står bakom den här webbtjänsten för utrustning och \
     återlämning. Vi vill att så många som möjligt ska kunna använda den. Här beskriver vi hur \
     handback uppfyller lagen (2018:1937) om tillgänglighet till digital offentlig service, \
     vilka brister vi känner till och hur du kan rapportera problem till oss så att vi kan \
     åtgärda dem.",
    "The organisation that runs handback stands behind this service for equipment and its \
     return. We want as many people as possible to be able to use it. This statement \
     describes how handback meets the Swedish act on accessibility to digital public services \
     (2018:1937), the shortcomings we know of, and how to report a problem to us so that we \
     can fix it.",
);

const SECTIONS: &[Section] = &[
    Section {
        heading: (
            "Hur tillgänglig är webbtjänsten?",
            "How accessible is the service?",
        ),
        paragraphs: &[(
            "Webbtjänsten är delvis förenlig med lagen om tillgänglighet till digital offentlig \
             service, på grund av de brister som beskrivs nedan. Alla sidor går att använda med \
             enbart tangentbord, har en länk förbi sidhuvudet till innehållet, tydlig \
             fokusmarkering, etiketter på alla fält och felmeddelanden vid fälten. Sidorna går \
             att förstora till 200 % och att läsa i 320 pixlars bredd utan att något går \
             förlorat.",
            "The service is partially compliant with the act, because of the shortcomings \
             described below. Every page can be used with a keyboard alone, has a link past the \
             header to the content, a clearly visible focus, a label on every field and error \
             messages next to the fields. The pages can be zoomed to 200 % and read 320 pixels \
             wide without loss.",
        )],
        list: &[],
    },
    Section {
        heading: (
            "Innehåll som inte är tillgängligt",
            "Content that is not accessible",
        ),
        paragraphs: &[(
            "Vi känner till följande brister i förhållande till WCAG 2.1 nivå AA:",
            "We know of these shortcomings against WCAG 2.1 level AA:",
        )],
        list: &[
            (
                "Meddelanden från registrets regler (till exempel när en utlämning nekas) och \
                 namnen på händelser och roller är på engelska även på de svenska sidorna. De är \
                 märkta som engelska så att skärmläsare uttalar dem rätt (WCAG 3.1.2).",
                "Messages from the register's rules (for example when a hand-out is refused) \
                 and the names of events and roles are in English on the Swedish pages too. \
                 They are marked as English so that screen readers pronounce them right \
                 (WCAG 3.1.2).",
            ),
            (
                "De utskrivbara dokumenten (checklistor, kvittenser och rapporten) saknar \
                 landmärken och arbetas om. De klarar de automatiska kontrollerna av WCAG 2.1 \
                 nivå A och AA.",
                "The printable documents (checklists, receipts and the report) have no \
                 landmarks and are being reworked. They pass the automated checks of WCAG 2.1 \
                 levels A and AA.",
            ),
            (
                "Tjänsten har ännu inte provats av personer som använder skärmläsare, \
                 förstoringsprogram eller taligenkänning. Automatiska kontroller hittar inte \
                 alla brister.",
                "The service has not yet been tried by people who use screen readers, \
                 magnifiers or speech recognition. Automated checks do not find every \
                 shortcoming.",
            ),
        ],
    },
    Section {
        heading: (
            "Om du inte kan använda delar av webbtjänsten",
            "If you cannot use part of the service",
        ),
        paragraphs: &[(
            "Kontakta oss (se nedan) så hjälper vi dig. IT-servicen kan till exempel göra en \
             utlämning eller återlämning åt dig, eller ge dig en checklista eller kvittens i ett \
             annat format.",
            "Contact us (see below) and we will help you. The IT desk can, for example, record \
             a hand-out or a return for you, or give you a checklist or receipt in another \
             format.",
        )],
        list: &[],
    },
    Section {
        heading: ("Hur vi testat webbtjänsten", "How we tested the service"),
        paragraphs: &[(
            "Vi har gjort en självskattning (intern granskning) av webbtjänsten. Varje sida, \
             och varje formulär i felläge, kontrolleras i våra automatiska tester vid varje \
             ändring: axe-core prövar WCAG 2.1 nivå A och AA i webbläsaren Chromium, en \
             utlämning och en återlämning görs med enbart tangentbord, och sidorna visas i 320 \
             pixlars bredd och med 200 % förstoring.",
            "We have assessed the service ourselves. Every page, and every form in its error \
             state, is checked by our automated tests at every change: axe-core tests WCAG 2.1 \
             levels A and AA in the Chromium browser, a hand-out and a return are done with the \
             keyboard alone, and the pages are shown 320 pixels wide and at 200 % zoom.",
        )],
        list: &[],
    },
];

/// `GET /tillganglighet`, for anyone, in the reader's language.
pub async fn statement(State(app): State<App>, headers: HeaderMap) -> Html<String> {
    let lang = lang_of(&headers);
    let title = pick(
        lang,
        ("Tillgänglighetsredogörelse", "Accessibility statement"),
    );
    let body = html! {
        h1 { (title) }
        p { (pick(lang, INTRO)) }
        @for section in SECTIONS {
            h2 { (pick(lang, section.heading)) }
            @for paragraph in section.paragraphs { p { (pick(lang, *paragraph)) } }
            @if !section.list.is_empty() {
                ul { @for item in section.list { li { (pick(lang, *item)) } } }
            }
        }
        (reporting(lang, app.accessibility_contact.as_deref()))
        (supervision(lang))
        h2 { (pick(lang, ("Om redogörelsen", "About this statement"))) }
        p {
            (pick(lang, ("Webbtjänsten bedömdes senast och redogörelsen skrevs den ", "The service was last assessed, and this statement written, on ")))
            time datetime=(ASSESSED_ON) { (ASSESSED_ON) } "."
        }
    };
    Html(page(lang, title, None, "/tillganglighet", body).into_string())
}

/// How to report a problem: the contact the administrator gave, else the IT desk.
fn reporting(lang: Lang, contact: Option<&str>) -> Markup {
    html! {
        h2 { (pick(lang, ("Rapportera brister i webbtjänstens tillgänglighet", "Report a problem with the service's accessibility"))) }
        p { (pick(lang, (
            "Vi strävar hela tiden efter att förbättra tillgängligheten. Om du upptäcker problem \
             som inte beskrivs här, eller om du anser att vi inte uppfyller lagens krav, meddela \
             oss så att vi vet att problemet finns.",
            "We keep working to improve accessibility. If you find a problem that is not \
             described here, or think that we do not meet the act's requirements, tell us so \
             that we know of it.",
        ))) }
        p {
            (pick(lang, ("Kontakt: ", "Contact: ")))
            @match contact {
                Some(contact) => strong { (contact) },
                None => (pick(lang, (
                    "din organisations IT-service (administratören har ännu inte angett någon adress).",
                    "your organisation's IT desk (the administrator has not given an address yet).",
                ))),
            }
        }
    }
}

/// The supervisory authority: DIGG, and how to reach it.
fn supervision(lang: Lang) -> Markup {
    html! {
        h2 { (pick(lang, ("Tillsyn", "Supervision"))) }
        p { (pick(lang, (
            "Myndigheten för digital förvaltning (DIGG) har ansvaret för tillsyn över lagen om \
             tillgänglighet till digital offentlig service. Om du inte är nöjd med hur vi \
             hanterar dina synpunkter kan du kontakta DIGG och påtala det.",
            "The Agency for Digital Government (DIGG) supervises the act on accessibility to \
             digital public services. If you are not satisfied with how we handle what you \
             tell us, you can contact DIGG and report it.",
        ))) }
        ul {
            li { a href="https://www.digg.se/tdosanmalan" hreflang="sv" {
                (pick(lang, ("Anmäl bristande tillgänglighet till DIGG", "Report inaccessibility to DIGG (in Swedish)")))
            } }
            li { a href="https://www.digg.se" { "digg.se" } }
        }
    }
}
