//! The pages' words in Swedish; English is the key. A table of words, not logic.

use handback::i18n::Lang;

/// `english` in `lang`: the Swedish of it, or the English when there is none.
pub fn say(lang: Lang, english: &'static str) -> &'static str {
    if lang == Lang::En {
        return english;
    }
    swedish(english).unwrap_or(english)
}

fn swedish(english: &str) -> Option<&'static str> {
    Some(match english {
        "Sign in" => "Logga in",
        "Sign out" => "Logga ut",
        "Login" => "Användarnamn",
        "Password" => "Lösenord",
        "Search" => "Sök",
        "Name, number, e-mail, serial or asset tag" => {
            "Namn, nummer, e-post, serienummer eller inventarienummer"
        }
        "Nothing matches." => "Inget matchar.",
        "Holds" => "Innehar",
        "Holds nothing." => "Innehar ingenting.",
        "Department" => "Enhet",
        "Employee number" => "Anställningsnummer",
        "E-mail" => "E-post",
        "Last working day" => "Sista arbetsdag",
        "Manager" => "Chef",
        "User name" => "Användarnamn",
        "Serial" => "Serienummer",
        "Serials" => "Serienummer",
        "Kind" => "Typ",
        "Model" => "Modell",
        "Status" => "Status",
        "Holder" => "Innehavare",
        "Since" => "Sedan",
        "Due back" => "Ska lämnas senast",
        "History" => "Historik",
        "Not found" => "Hittades inte",
        "Back" => "Tillbaka",
        "The login or the password is wrong." => "Användarnamnet eller lösenordet är fel.",
        "Too many failed sign-ins: wait a while and try again." => {
            "För många misslyckade inloggningar: vänta en stund och försök igen."
        }
        "Hand out" => "Lämna ut",
        "Hand out to" => "Lämna ut till",
        "Person" => "Person",
        "Kind, for a device not yet registered" => "Typ, för en enhet som inte är registrerad",
        "Note" => "Anteckning",
        "Take back everything" => "Ta tillbaka allt",
        "Condition" => "Skick",
        "ok" => "hel",
        "damaged" => "skadad",
        "broken" => "trasig",
        "Send to" => "Skicka till",
        "as the condition says" => "som skicket säger",
        "reuse" => "återanvändning",
        "repair" => "reparation",
        "recycle" => "återvinning",
        "Transfer everything to a successor" => "Överlåt allt till en efterträdare",
        "Successor" => "Efterträdare",
        "Transfer" => "Överlåt",
        "Receipt" => "Kvittens",
        "Day" => "Dag",
        "Record last working day" => "Registrera sista arbetsdag",
        "Record" => "Registrera",
        "Print checklist" => "Skriv ut checklista",
        "Take back" => "Ta tillbaka",
        "Replace" => "Byt ut",
        "New serial" => "Nytt serienummer",
        "Reason" => "Orsak",
        "broken device" => "trasig",
        "worn out" => "utsliten",
        "lost" => "förlorad",
        "stolen" => "stulen",
        "upgrade" => "uppgradering",
        "Mark lost" => "Markera som förlorad",
        "It was stolen" => "Den är stulen",
        "Found" => "Återfunnen",
        "Repaired" => "Reparerad",
        "Recycle" => "Återvinn",
        "Recycle it although it could be reused" => "Återvinn den trots att den kan återanvändas",
        "Stock" => "Lager",
        "Nothing in stock." => "Inget i lager.",
        "Leavers" => "Slutar",
        "Leaving from" => "Slutar från",
        "Leaving until" => "Slutar till och med",
        "Show" => "Visa",
        "Print every checklist" => "Skriv ut alla checklistor",
        "Nobody leaves in that window." => "Ingen slutar under den perioden.",
        "Items" => "Enheter",
        "Overdue" => "Ej återlämnat",
        "As of" => "Per",
        "Days overdue" => "Dagar sedan sista arbetsdag",
        "Nobody is overdue." => "Ingen har utrustning kvar efter sista arbetsdagen.",
        "Missing devices" => "Saknade enheter",
        "Report" => "Rapport",
        "From" => "Från",
        "To" => "Till",
        "all departments" => "alla enheter",
        "Import" => "Import",
        "List file (CSV, Excel or OpenDocument)" => "Listfil (CSV, Excel eller OpenDocument)",
        "Check the file" => "Granska filen",
        "Import it" => "Importera",
        "Nothing was imported yet: this is what the file would do." => {
            "Inget är importerat ännu: så här skulle filen ändra registret."
        }
        "Imported." => "Importerat.",
        "Nothing was imported: the file has refused rows." => {
            "Inget importerades: filen har rader som inte godtas."
        }
        "Line" => "Rad",
        "Problem" => "Problem",
        "Accounts" => "Konton",
        "Name" => "Namn",
        "Role" => "Roll",
        "Departments" => "Enheter",
        "Add account" => "Lägg till konto",
        "Disable" => "Inaktivera",
        "disabled" => "inaktiverat",
        "Done." => "Klart.",
        "Handed out." => "Utlämnat.",
        "Taken back." => "Tillbakatagen.",
        "Transferred." => "Överlåtet.",
        "Replaced." => "Utbytt.",
        "Marked lost." => "Markerad som förlorad.",
        "Back in stock." => "Tillbaka i lager.",
        "Recycled." => "Återvunnen.",
        "Last working day recorded." => "Sista arbetsdag registrerad.",
        "Account added." => "Kontot är tillagt.",
        "Account disabled." => "Kontot är inaktiverat.",
        "Refused" => "Nekat",
        "Serials, one per line or separated by spaces (a scanner's Enter adds a line)" => {
            "Serienummer, ett per rad eller åtskilda med mellanslag (skannerns Enter ger en ny rad)"
        }
        "Devices" => "Enheter",
        "Language" => "Språk",
        "Skip to content" => "Hoppa till innehållet",
        "Main menu" => "Huvudmeny",
        "Accessibility statement" => "Tillgänglighetsredogörelse",
        "There is a problem" => "Det finns ett problem",
        "Error:" => "Fel:",
        "Search the register" => "Sök i registret",
        "Results" => "Träffar",
        "Devices held, with the day each was handed out" => {
            "Innehavda enheter och dagen de lämnades ut"
        }
        "The person's events, oldest first" => "Personens händelser, äldsta först",
        "The device's events, oldest first" => "Enhetens händelser, äldsta först",
        "Devices in stock, waiting for reuse" => "Enheter i lager som väntar på återanvändning",
        "Last working days in the window" => "Sista arbetsdagar under perioden",
        "People who still hold devices after their last working day" => {
            "Personer som har utrustning kvar efter sista arbetsdagen"
        }
        "Devices lost, stolen or not back" => {
            "Enheter som är förlorade, stulna eller inte tillbaka"
        }
        "How the file's columns were read" => "Så lästes filens kolumner",
        "Column in the file" => "Kolumn i filen",
        "Read as" => "Läst som",
        "Refused rows" => "Rader som inte godtas",
        "Every account, disabled ones too" => "Alla konton, även inaktiverade",
        "Event" => "Händelse",
        "By" => "Av",
        "Last holder" => "Senaste innehavare",
        "Departments, separated by commas" => "Enheter, åtskilda med kommatecken",
        "Password, at least 10 characters" => "Lösenord, minst 10 tecken",
        "Rows" => "Rader",
        "People, new + updated" => "Personer, nya + ändrade",
        "Devices, new + updated" => "Enheter, nya + ändrade",
        "Hand-outs" => "Utlämningar",
        "transfers" => "överlåtelser",
        "already recorded" => "redan registrerade",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_the_key_and_swedish_its_translation() {
        assert_eq!(say(Lang::En, "Sign in"), "Sign in");
        assert_eq!(say(Lang::Sv, "Sign in"), "Logga in");
        assert_eq!(say(Lang::Sv, "no such phrase"), "no such phrase");
    }
}
