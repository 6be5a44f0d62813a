//! Which column holds what: one alias table from header words to [`Field`]s, the `--map`
//! overrides, and what kind of list the columns make.
//!
//! Headers are compared by a key that ignores case, accents, spaces and punctuation, so
//! `Anst.nr`, `ANST NR` and `anstnr` are one header and `Förnamn` matches `Fornamn`. Every
//! spelling lives in `ALIASES` and nowhere else. When two columns map to the same field the
//! first (leftmost) wins and the other is reported ignored ([`IgnoreReason::Duplicate`]),
//! because lists often repeat a column (`Namn` and `Användare`) and refusing them would help
//! no one. A column of Swedish personal identity numbers is recognised so that it can be
//! ignored on purpose and said so: they are never stored.

use crate::error::{Error, Result};
use crate::validate::shorten;
use std::fmt;
use std::str::FromStr;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A value the importer knows how to use. The snake_case names are the `--map` interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Serial,
    EmployeeNo,
    Name,
    FirstName,
    LastName,
    Email,
    Username,
    Department,
    EndDate,
    AssetTag,
    Kind,
    Make,
    Model,
    Status,
    Purchased,
    HandedOutOn,
    HandedOutBy,
    DueBack,
    Note,
    /// A whole name written last name first (`Efternamn, Förnamn`: "Sjöberg, Karin").
    NameLastFirst,
}

impl Field {
    pub const COUNT: usize = 20;
    pub const ALL: [Field; Field::COUNT] = [
        Field::Serial,
        Field::EmployeeNo,
        Field::Name,
        Field::FirstName,
        Field::LastName,
        Field::Email,
        Field::Username,
        Field::Department,
        Field::EndDate,
        Field::AssetTag,
        Field::Kind,
        Field::Make,
        Field::Model,
        Field::Status,
        Field::Purchased,
        Field::HandedOutOn,
        Field::HandedOutBy,
        Field::DueBack,
        Field::Note,
        Field::NameLastFirst,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Serial => "serial",
            Field::EmployeeNo => "employee_no",
            Field::Name => "name",
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::Email => "email",
            Field::Username => "username",
            Field::Department => "department",
            Field::EndDate => "end_date",
            Field::AssetTag => "asset_tag",
            Field::Kind => "kind",
            Field::Make => "make",
            Field::Model => "model",
            Field::Status => "status",
            Field::Purchased => "purchased",
            Field::HandedOutOn => "handed_out_on",
            Field::HandedOutBy => "handed_out_by",
            Field::DueBack => "due_back",
            Field::Note => "note",
            Field::NameLastFirst => "name_last_first",
        }
    }

    /// Position in [`Field::ALL`], for per-field arrays.
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// Fields that say who a row is about.
    pub fn is_person(self) -> bool {
        matches!(
            self,
            Field::EmployeeNo
                | Field::Name
                | Field::FirstName
                | Field::LastName
                | Field::Email
                | Field::Username
                | Field::NameLastFirst
        )
    }

    /// Fields whose values identify something, and so must stay text exactly as written: a
    /// number a spreadsheet has rounded or stripped of a leading zero is another identifier.
    pub fn is_identifier(self) -> bool {
        matches!(self, Field::Serial | Field::EmployeeNo | Field::AssetTag)
    }

    /// Fields that name a person (a list without any of them names no one).
    pub fn is_name(self) -> bool {
        matches!(
            self,
            Field::Name | Field::FirstName | Field::LastName | Field::NameLastFirst
        )
    }

    /// Fields whose values are dates.
    pub fn is_date(self) -> bool {
        matches!(
            self,
            Field::EndDate | Field::Purchased | Field::HandedOutOn | Field::DueBack
        )
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Field {
    type Err = Error;

    fn from_str(raw: &str) -> Result<Field> {
        let wanted = raw.trim().to_lowercase().replace('-', "_");
        Field::ALL
            .into_iter()
            .find(|f| f.as_str() == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = Field::ALL.iter().map(|f| f.as_str()).collect();
                Error::invalid(format!(
                    "{:?} is not a field: use one of {}, or ignore",
                    shorten(raw),
                    names.join(", ")
                ))
            })
    }
}

/// What a list is about, forced by `--kind` or read from its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    /// Who holds which device (a row with a serial and no person is a device in stock).
    Handouts,
    /// Staff, from HR: employee numbers, e-mail, last working day.
    People,
    /// Devices without holders: a stock list.
    Devices,
}

impl ListKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::Handouts => "handouts",
            ListKind::People => "people",
            ListKind::Devices => "devices",
        }
    }
}

impl fmt::Display for ListKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ListKind {
    type Err = Error;

    /// `--kind handouts|people|devices`.
    fn from_str(raw: &str) -> Result<ListKind> {
        match raw.trim().to_lowercase().as_str() {
            "handouts" | "handout" => Ok(ListKind::Handouts),
            "people" | "persons" | "staff" => Ok(ListKind::People),
            "devices" | "device" => Ok(ListKind::Devices),
            _ => Err(Error::invalid(format!(
                "{:?} is not a kind of list: use handouts, people or devices",
                shorten(raw)
            ))),
        }
    }
}

/// One `--map "HEADER=field"` (or `HEADER=ignore`, then `target` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnOverride {
    pub header: String,
    pub target: Option<Field>,
}

impl ColumnOverride {
    /// Parses `HEADER=field`. The last `=` splits, so a header may itself contain one.
    pub fn parse(raw: &str) -> Result<ColumnOverride> {
        let usage = || {
            Error::invalid(format!(
                "--map {:?} is not HEADER=field (for example --map \"Serie=serial\" or --map \"Rum=ignore\")",
                shorten(raw)
            ))
        };
        let (header, field) = raw.rsplit_once('=').ok_or_else(usage)?;
        let header = header.trim();
        if header.is_empty() {
            return Err(usage());
        }
        let target = if field.trim().eq_ignore_ascii_case("ignore") {
            None
        } else {
            Some(field.parse::<Field>()?)
        };
        Ok(ColumnOverride {
            header: header.to_string(),
            target,
        })
    }
}

impl FromStr for ColumnOverride {
    type Err = Error;
    fn from_str(raw: &str) -> Result<ColumnOverride> {
        ColumnOverride::parse(raw)
    }
}

/// Why a column is not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IgnoreReason {
    /// No alias matches the header.
    Unknown,
    /// A known column handback keeps nothing of (Snipe-IT's `Location`, `Purchase Cost`, …).
    NotUsed,
    /// Swedish personal identity numbers: never stored.
    PersonalIdentityNumber,
    /// An earlier column already maps to this field.
    Duplicate(Field),
    /// `--map "HEADER=ignore"`.
    ByRequest,
    /// The error column of a rejects file being imported again.
    EarlierError,
}

impl fmt::Display for IgnoreReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IgnoreReason::Unknown => {
                f.write_str("not a column handback knows (use --map to name it)")
            }
            IgnoreReason::NotUsed => f.write_str("handback does not keep this"),
            IgnoreReason::PersonalIdentityNumber => {
                f.write_str("personal identity numbers are never stored")
            }
            IgnoreReason::Duplicate(field) => {
                write!(f, "an earlier column is already read as {field}")
            }
            IgnoreReason::ByRequest => f.write_str("ignored by --map"),
            IgnoreReason::EarlierError => f.write_str("the error column of an earlier import"),
        }
    }
}

/// What a column is used for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnUse {
    Field(Field),
    Ignored(IgnoreReason),
}

/// One column of the file: its position, its header as written, and its use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// 0-based position in the record.
    pub index: usize,
    /// The header as written, trimmed.
    pub header: String,
    pub usage: ColumnUse,
    /// Read as its field because of its values, its header being unknown (see
    /// [`Columns::recognise_by_values`]).
    pub from_values: bool,
}

impl Column {
    /// The header for messages: `"Serienr"`, or `column 4` when the header cell is empty.
    pub fn label(&self) -> String {
        if self.header.is_empty() {
            format!("column {}", self.index + 1)
        } else {
            format!("{:?}", self.header)
        }
    }
}

/// Every column of a file and the kind of list they make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub columns: Vec<Column>,
    pub kind: ListKind,
    by_field: [Option<usize>; Field::COUNT],
}

impl Columns {
    /// The position of the column read as `field`.
    pub fn index_of(&self, field: Field) -> Option<usize> {
        self.by_field[field.index()]
    }

    pub fn has(&self, field: Field) -> bool {
        self.index_of(field).is_some()
    }

    /// The column read as `field`.
    pub fn column_of(&self, field: Field) -> Option<&Column> {
        self.index_of(field).and_then(|i| self.columns.get(i))
    }

    /// Columns read as a field, in file order.
    pub fn mapped(&self) -> impl Iterator<Item = (&Column, Field)> {
        self.columns.iter().filter_map(|c| match c.usage {
            ColumnUse::Field(field) => Some((c, field)),
            ColumnUse::Ignored(_) => None,
        })
    }

    /// Columns not read, with the reason, in file order.
    pub fn ignored(&self) -> impl Iterator<Item = (&Column, &IgnoreReason)> {
        self.columns.iter().filter_map(|c| match &c.usage {
            ColumnUse::Ignored(reason) => Some((c, reason)),
            ColumnUse::Field(_) => None,
        })
    }

    /// Whether any personal identity numbers column was found (and ignored).
    pub fn has_personal_identity_numbers(&self) -> bool {
        self.ignored()
            .any(|(_, r)| *r == IgnoreReason::PersonalIdentityNumber)
    }

    fn has_person(&self) -> bool {
        Field::ALL.into_iter().any(|f| f.is_person() && self.has(f))
    }

    /// Whether the list names people but has no column with their names.
    pub fn lacks_names(&self) -> bool {
        self.kind != ListKind::Devices
            && !Field::ALL.into_iter().any(|f| f.is_name() && self.has(f))
    }

    /// Reads columns by their values where the header says too little: a column of an
    /// unknown header whose values are all device kinds (`Bärbar dator`, `Mobil`) is the
    /// kind, one of e-mail addresses the e-mail; a "Checked out" column of dates is the
    /// checkout date (in Snipe-IT's custom report it is the assignee's name); a "Type"
    /// column of `user`/`location`/`asset` is Snipe-IT's assignee type, not a device kind.
    /// Dates are never guessed for an unknown header: which date it is would be a guess.
    /// `samples` are the first data rows; a column needs two values (one in a one-row
    /// list) before its values count. The kind of list is decided again, unless forced.
    pub(crate) fn recognise_by_values(
        &mut self,
        samples: &[&csv::StringRecord],
        forced: Option<ListKind>,
        file: &str,
    ) -> Result<()> {
        let needed = samples.len().min(2);
        let mut changed = false;
        for index in 0..self.columns.len() {
            let values: Vec<&str> = samples
                .iter()
                .filter_map(|r| r.get(index))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .collect();
            if values.len() < needed || values.is_empty() {
                continue;
            }
            let column = &self.columns[index];
            let new_use = match &column.usage {
                ColumnUse::Ignored(IgnoreReason::Unknown) => {
                    if !self.has(Field::Kind) && values.iter().all(|v| is_kind_word(v)) {
                        Some(ColumnUse::Field(Field::Kind))
                    } else if !self.has(Field::Email) && values.iter().all(|v| looks_like_email(v))
                    {
                        Some(ColumnUse::Field(Field::Email))
                    } else {
                        None
                    }
                }
                ColumnUse::Field(Field::Name)
                    if header_key(&column.header) == "checkedout"
                        && !self.has(Field::HandedOutOn)
                        && values
                            .iter()
                            .all(|v| crate::import::values::parse_import_date(v, &[]).is_ok()) =>
                {
                    Some(ColumnUse::Field(Field::HandedOutOn))
                }
                ColumnUse::Field(Field::Kind)
                    if values.iter().all(|v| {
                        matches!(header_key(v).as_str(), "user" | "location" | "asset")
                    }) =>
                {
                    Some(ColumnUse::Ignored(IgnoreReason::NotUsed))
                }
                _ => None,
            };
            let Some(new_use) = new_use else { continue };
            if let ColumnUse::Field(old) = self.columns[index].usage {
                self.by_field[old.index()] = None;
            }
            if let ColumnUse::Field(field) = new_use {
                self.by_field[field.index()] = Some(index);
            }
            self.columns[index].usage = new_use;
            self.columns[index].from_values = true;
            changed = true;
        }
        if changed {
            self.kind = decide_kind(self, forced, file)?;
        }
        Ok(())
    }
}

/// A word of the device-kind vocabulary (`Bärbar dator`, `Laptops`, `Mobil`, `dock`).
fn is_kind_word(value: &str) -> bool {
    let canonical = crate::model::canonical_kind(value);
    crate::model::KINDS.contains(&canonical.as_str())
}

/// `name@example.org`, as `validate::clean_email` accepts it.
fn looks_like_email(value: &str) -> bool {
    crate::validate::clean_email(value).is_ok()
}

/// What a header can mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Field(Field),
    PersonalIdentityNumber,
    NotUsed,
    EarlierError,
}

use Target::{EarlierError, NotUsed, PersonalIdentityNumber as Pin};

const fn f(field: Field) -> Target {
    Target::Field(field)
}

/// Every header spelling handback knows, Swedish and English, including Snipe-IT's export
/// and import headers. Compared through [`header_key`], so case, accents, spaces and
/// punctuation need no separate entries. The field names themselves are aliases too.
pub(crate) const ALIASES: &[(&str, Target)] = &[
    // serial
    ("Serienummer", f(Field::Serial)),
    ("Serienr", f(Field::Serial)),
    ("S/N", f(Field::Serial)),
    ("SN", f(Field::Serial)),
    ("Serial number", f(Field::Serial)),
    ("Serial No", f(Field::Serial)),
    ("Serial", f(Field::Serial)),
    ("Serie-nr", f(Field::Serial)),
    ("Serienummer/IMEI", f(Field::Serial)),
    ("IMEI", f(Field::Serial)),
    ("IMEI-nummer", f(Field::Serial)),
    // employee_no
    ("Anställningsnummer", f(Field::EmployeeNo)),
    ("Anställningsnr", f(Field::EmployeeNo)),
    ("Personalnummer", f(Field::EmployeeNo)),
    ("Anst.nr", f(Field::EmployeeNo)),
    ("Anst nr", f(Field::EmployeeNo)),
    ("Anställningsid", f(Field::EmployeeNo)),
    ("Anställnings-ID", f(Field::EmployeeNo)),
    ("Medarbetarnummer", f(Field::EmployeeNo)),
    ("Medarbetar-ID", f(Field::EmployeeNo)),
    ("Assigned To Employee Number", f(Field::EmployeeNo)),
    ("Checked Out To Employee Number", f(Field::EmployeeNo)),
    ("Employee number", f(Field::EmployeeNo)),
    ("Employee No", f(Field::EmployeeNo)),
    ("Employee ID", f(Field::EmployeeNo)),
    ("Employee_no", f(Field::EmployeeNo)),
    // name
    ("Namn", f(Field::Name)),
    ("Användare", f(Field::Name)),
    ("Fullständigt namn", f(Field::Name)),
    ("Utlämnad till", f(Field::Name)),
    ("Full Name", f(Field::Name)),
    ("Name", f(Field::Name)),
    ("Checked Out To", f(Field::Name)),
    ("Assigned To", f(Field::Name)),
    // Snipe-IT's custom asset report heads its assignee column "Checked Out" (and the
    // assignee's kind, user/location/asset, "Type"); other lists use those words for a
    // checkout date. Read as the name, and as the date when the values are dates (see
    // `Columns::recognise_by_values`).
    ("Checked out", f(Field::Name)),
    ("Anställd", f(Field::Name)),
    ("Medarbetare", f(Field::Name)),
    ("Innehavare", f(Field::Name)),
    ("Brukare", f(Field::Name)),
    ("Mottagare", f(Field::Name)),
    ("Kvitterad av", f(Field::Name)),
    ("Assignee", f(Field::Name)),
    ("Assigned to name", f(Field::Name)),
    ("Checked out to name", f(Field::Name)),
    ("Assigned user", f(Field::Name)),
    ("User", f(Field::Name)),
    // a whole name, last name first
    ("Efternamn, Förnamn", f(Field::NameLastFirst)),
    ("Efternamn Förnamn", f(Field::NameLastFirst)),
    ("Namn (efternamn, förnamn)", f(Field::NameLastFirst)),
    ("Last name, First name", f(Field::NameLastFirst)),
    ("Surname, Forename", f(Field::NameLastFirst)),
    // first_name, last_name
    ("Förnamn", f(Field::FirstName)),
    ("First name", f(Field::FirstName)),
    ("Given name", f(Field::FirstName)),
    ("Efternamn", f(Field::LastName)),
    ("Last name", f(Field::LastName)),
    ("Surname", f(Field::LastName)),
    ("Family name", f(Field::LastName)),
    // email
    ("E-post", f(Field::Email)),
    ("E-postadress", f(Field::Email)),
    ("Mejl", f(Field::Email)),
    ("Email", f(Field::Email)),
    ("E-mail", f(Field::Email)),
    ("Email address", f(Field::Email)),
    ("Mail", f(Field::Email)),
    ("Mailadress", f(Field::Email)),
    ("Mejladress", f(Field::Email)),
    ("E-postadress arbete", f(Field::Email)),
    ("Arbetsmejl", f(Field::Email)),
    ("Assigned To Email", f(Field::Email)),
    ("Checked Out To Email", f(Field::Email)),
    ("Assignee email", f(Field::Email)),
    // username
    ("Username", f(Field::Username)),
    ("User name", f(Field::Username)),
    ("Användarnamn", f(Field::Username)),
    ("Användar-id", f(Field::Username)),
    ("Login", f(Field::Username)),
    ("Inloggning", f(Field::Username)),
    ("Användar-ID", f(Field::Username)),
    ("Assigned To Username", f(Field::Username)),
    ("Checked Out To Username", f(Field::Username)),
    ("Assignee username", f(Field::Username)),
    // department
    ("Förvaltning", f(Field::Department)),
    ("Enhet", f(Field::Department)),
    ("Avdelning", f(Field::Department)),
    ("Department", f(Field::Department)),
    ("Organisationsenhet", f(Field::Department)),
    ("Org.enhet", f(Field::Department)),
    ("Organisation", f(Field::Department)),
    ("Förvaltning/bolag", f(Field::Department)),
    ("Verksamhet", f(Field::Department)),
    ("Sektion", f(Field::Department)),
    ("Kostnadsställe", f(Field::Department)),
    ("Arbetsplats", f(Field::Department)),
    ("Org unit", f(Field::Department)),
    // end_date
    ("Slutdatum", f(Field::EndDate)),
    ("Sista arbetsdag", f(Field::EndDate)),
    ("Sista anställningsdag", f(Field::EndDate)),
    ("End date", f(Field::EndDate)),
    ("Last working day", f(Field::EndDate)),
    ("Last day", f(Field::EndDate)),
    ("Anställd till", f(Field::EndDate)),
    ("Anställd t.o.m.", f(Field::EndDate)),
    ("Anställning upphör", f(Field::EndDate)),
    ("Anställningens slut", f(Field::EndDate)),
    ("Slutar", f(Field::EndDate)),
    ("Avgångsdatum", f(Field::EndDate)),
    ("Employed until", f(Field::EndDate)),
    ("Termination date", f(Field::EndDate)),
    // asset_tag
    ("Inv.nr", f(Field::AssetTag)),
    ("Inventarienummer", f(Field::AssetTag)),
    ("Inventarienr", f(Field::AssetTag)),
    ("Asset tag", f(Field::AssetTag)),
    ("Asset_tag", f(Field::AssetTag)),
    ("Inventarienummer/ID", f(Field::AssetTag)),
    ("Inv nr", f(Field::AssetTag)),
    ("Stöldmärkning", f(Field::AssetTag)),
    ("Märkning", f(Field::AssetTag)),
    // kind
    ("Typ", f(Field::Kind)),
    ("Kategori", f(Field::Kind)),
    ("Category", f(Field::Kind)),
    ("Kind", f(Field::Kind)),
    ("Type", f(Field::Kind)),
    ("Utrustning", f(Field::Kind)),
    ("Utrustningstyp", f(Field::Kind)),
    ("Enhetstyp", f(Field::Kind)),
    ("Produkttyp", f(Field::Kind)),
    ("Artikeltyp", f(Field::Kind)),
    ("Device type", f(Field::Kind)),
    // make
    ("Fabrikat", f(Field::Make)),
    ("Tillverkare", f(Field::Make)),
    ("Märke", f(Field::Make)),
    ("Manufacturer", f(Field::Make)),
    ("Make", f(Field::Make)),
    ("Brand", f(Field::Make)),
    // model
    ("Modell", f(Field::Model)),
    ("Modellnamn", f(Field::Model)),
    ("Model", f(Field::Model)),
    ("Model name", f(Field::Model)),
    // status
    ("Status", f(Field::Status)),
    ("Status label", f(Field::Status)),
    // purchased
    ("Inköpsdatum", f(Field::Purchased)),
    ("Inköpt", f(Field::Purchased)),
    ("Purchase Date", f(Field::Purchased)),
    ("Purchased", f(Field::Purchased)),
    // handed_out_on
    ("Utlämnad", f(Field::HandedOutOn)),
    ("Utlämningsdatum", f(Field::HandedOutOn)),
    ("Utlämnad datum", f(Field::HandedOutOn)),
    ("Utlämnat datum", f(Field::HandedOutOn)),
    ("Utlämnat", f(Field::HandedOutOn)),
    ("Datum utlämnad", f(Field::HandedOutOn)),
    ("Utlämningsdag", f(Field::HandedOutOn)),
    ("Utlånad", f(Field::HandedOutOn)),
    ("Utlåningsdatum", f(Field::HandedOutOn)),
    ("Kvitterad", f(Field::HandedOutOn)),
    ("Kvitterad datum", f(Field::HandedOutOn)),
    ("Assigned date", f(Field::HandedOutOn)),
    ("Checkout", f(Field::HandedOutOn)),
    ("Checked out on", f(Field::HandedOutOn)),
    ("Last checkout at", f(Field::HandedOutOn)),
    ("Checkout date", f(Field::HandedOutOn)),
    ("Last Checkout", f(Field::HandedOutOn)),
    ("Last checkout date", f(Field::HandedOutOn)),
    ("Handed_out_on", f(Field::HandedOutOn)),
    ("Handed out at", f(Field::HandedOutOn)),
    // handed_out_by
    ("Handläggare", f(Field::HandedOutBy)),
    ("Utlämnad av", f(Field::HandedOutBy)),
    ("Checked out by", f(Field::HandedOutBy)),
    ("Handed out by", f(Field::HandedOutBy)),
    ("Utlämnat av", f(Field::HandedOutBy)),
    ("Tekniker", f(Field::HandedOutBy)),
    ("IT-tekniker", f(Field::HandedOutBy)),
    // due_back
    ("Återlämnas senast", f(Field::DueBack)),
    ("Återlämningsdatum", f(Field::DueBack)),
    ("Due", f(Field::DueBack)),
    ("Due back", f(Field::DueBack)),
    ("Expected checkin", f(Field::DueBack)),
    ("Expected Checkin Date", f(Field::DueBack)),
    ("Åter senast", f(Field::DueBack)),
    ("Återlämnas", f(Field::DueBack)),
    ("Lånas till", f(Field::DueBack)),
    // note
    ("Anteckning", f(Field::Note)),
    ("Anteckningar", f(Field::Note)),
    ("Kommentar", f(Field::Note)),
    ("Kommentarer", f(Field::Note)),
    ("Notes", f(Field::Note)),
    ("Note", f(Field::Note)),
    ("Comment", f(Field::Note)),
    ("Comments", f(Field::Note)),
    ("Övrigt", f(Field::Note)),
    ("Notering", f(Field::Note)),
    ("Noteringar", f(Field::Note)),
    // personal identity numbers: recognised so they are ignored, never stored
    ("Personnummer", Pin),
    ("Personnr", Pin),
    ("Pers.nr", Pin),
    ("Pnr", Pin),
    ("Personal identity number", Pin),
    ("SSN", Pin),
    ("Social security number", Pin),
    ("Samordningsnummer", Pin),
    // known, but nothing handback keeps (mostly Snipe-IT's)
    ("Location", NotUsed),
    ("Default Location", NotUsed),
    ("Checkout Location", NotUsed),
    ("Plats", NotUsed),
    ("Placering", NotUsed),
    ("Company", NotUsed),
    ("Item Name", NotUsed),
    ("Asset Name", NotUsed),
    ("Model Number", NotUsed),
    ("Model No", NotUsed),
    ("Modellnummer", NotUsed),
    ("Purchase Cost", NotUsed),
    ("Cost", NotUsed),
    ("Inköpspris", NotUsed),
    ("Pris", NotUsed),
    ("Order Number", NotUsed),
    ("Ordernummer", NotUsed),
    ("Supplier", NotUsed),
    ("Leverantör", NotUsed),
    ("Warranty", NotUsed),
    ("Warranty Months", NotUsed),
    ("Garanti", NotUsed),
    ("ID", NotUsed),
    ("EOL", NotUsed),
    ("Checkout Type", NotUsed),
    ("Last Audit", NotUsed),
    ("Next Audit Date", NotUsed),
    ("Created At", NotUsed),
    ("Updated At", NotUsed),
    ("Image", NotUsed),
    ("Requestable", NotUsed),
    ("BYOD", NotUsed),
    ("Telefon", NotUsed),
    ("Phone", NotUsed),
    ("Titel", NotUsed),
    ("Job Title", NotUsed),
    ("Chef", NotUsed),
    ("Manager", NotUsed),
    ("Närmaste chef", NotUsed),
    ("Mobilnummer", NotUsed),
    ("Telefonnummer", NotUsed),
    ("Befattning", NotUsed),
    ("Rum", NotUsed),
    ("Assigned Type", NotUsed),
    ("Checked Out To Type", NotUsed),
    ("Last Checkin Date", NotUsed),
    ("Checkin Date", NotUsed),
    // a rejects file's own error column
    (crate::import::rejects::REJECTS_ERROR_HEADER, EarlierError),
    ("Error", EarlierError),
];

/// The comparison key of a header: accents removed, lower case, letters and digits only.
/// `Anst.nr` → `anstnr`, `S/N` → `sn`, `Återlämnas senast` → `aterlamnassenast`.
pub fn header_key(header: &str) -> String {
    header
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// What the alias table says a header means.
pub(crate) fn lookup(header: &str) -> Option<Target> {
    let key = header_key(header);
    if key.is_empty() {
        return None;
    }
    if let Some(field) = Field::ALL
        .into_iter()
        .find(|f| header_key(f.as_str()) == key)
    {
        return Some(Target::Field(field));
    }
    ALIASES
        .iter()
        .find(|(alias, _)| header_key(alias) == key)
        .map(|(_, target)| *target)
}

/// Maps a header record to fields. Overrides first (each must name a column of the file),
/// then the alias table; then the list's kind, forced or detected. `file` names the file in
/// messages.
pub fn map_columns(
    headers: &[String],
    overrides: &[ColumnOverride],
    forced: Option<ListKind>,
    file: &str,
) -> Result<Columns> {
    let mut uses: Vec<Option<ColumnUse>> = vec![None; headers.len()];
    let mut by_field: [Option<usize>; Field::COUNT] = [None; Field::COUNT];
    // Overrides: checked against each other and against the file before anything else.
    apply_overrides(headers, overrides, file, (&mut uses, &mut by_field))?;

    let mut columns = Vec::with_capacity(headers.len());
    for (index, (header, usage)) in headers.iter().zip(uses).enumerate() {
        let usage = usage.unwrap_or_else(|| match lookup(header) {
            Some(Target::Field(field)) => match by_field[field.index()] {
                Some(_) => ColumnUse::Ignored(IgnoreReason::Duplicate(field)),
                None => {
                    by_field[field.index()] = Some(index);
                    ColumnUse::Field(field)
                }
            },
            Some(Target::PersonalIdentityNumber) => {
                ColumnUse::Ignored(IgnoreReason::PersonalIdentityNumber)
            }
            Some(Target::NotUsed) => ColumnUse::Ignored(IgnoreReason::NotUsed),
            Some(Target::EarlierError) => ColumnUse::Ignored(IgnoreReason::EarlierError),
            None => ColumnUse::Ignored(IgnoreReason::Unknown),
        });
        columns.push(Column {
            index,
            header: header.trim().to_string(),
            usage,
            from_values: false,
        });
    }

    let mut mapped = Columns {
        columns,
        kind: ListKind::Devices,
        by_field,
    };
    mapped.kind = decide_kind(&mapped, forced, file)?;
    Ok(mapped)
}

/// The `--map` overrides, each checked against the others and against the file's headers,
/// written into `uses` and `by_field`.
fn apply_overrides(
    headers: &[String],
    overrides: &[ColumnOverride],
    file: &str,
    (uses, by_field): (&mut [Option<ColumnUse>], &mut [Option<usize>; Field::COUNT]),
) -> Result<()> {
    for (n, o) in overrides.iter().enumerate() {
        let key = header_key(&o.header);
        if overrides[..n].iter().any(|e| header_key(&e.header) == key) {
            return Err(Error::invalid(format!(
                "--map names the column {:?} twice",
                shorten(&o.header)
            )));
        }
        if let Some(field) = o.target
            && overrides[..n].iter().any(|e| e.target == Some(field))
        {
            return Err(Error::invalid(format!(
                "--map reads two columns as {field}: name only one"
            )));
        }
        let exact = headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(o.header.trim()));
        let index = exact
            .or_else(|| headers.iter().position(|h| header_key(h) == key))
            .ok_or_else(|| {
                Error::invalid(format!(
                    "--map {:?}: {file} has no such column; its columns are {}",
                    shorten(&o.header),
                    list_headers(headers)
                ))
            })?;
        if o.target.is_some() && lookup(&headers[index]) == Some(Pin) {
            return Err(Error::invalid(format!(
                "--map {:?}: that column holds personal identity numbers, which handback never stores",
                shorten(&o.header)
            )));
        }
        uses[index] = Some(match o.target {
            Some(field) => {
                by_field[field.index()] = Some(index);
                ColumnUse::Field(field)
            }
            None => ColumnUse::Ignored(IgnoreReason::ByRequest),
        });
    }
    Ok(())
}

/// Detection: serial and person → handouts; employee number or e-mail and no serial →
/// people; serial alone → devices. Forced: handouts need a serial and a person column,
/// people a person column, devices a serial column.
fn decide_kind(columns: &Columns, forced: Option<ListKind>, file: &str) -> Result<ListKind> {
    let serial = columns.has(Field::Serial);
    let person = columns.has_person();
    let identifies = columns.has(Field::EmployeeNo) || columns.has(Field::Email);
    let kind = match forced {
        Some(ListKind::Handouts) if serial && person => Some(ListKind::Handouts),
        Some(ListKind::People) if person => Some(ListKind::People),
        Some(ListKind::Devices) if serial => Some(ListKind::Devices),
        Some(_) => None,
        None if serial && person => Some(ListKind::Handouts),
        None if serial => Some(ListKind::Devices),
        None if identifies => Some(ListKind::People),
        None => None,
    };
    kind.ok_or_else(|| {
        let needs = match forced {
            Some(ListKind::Handouts) => {
                "--kind handouts needs a serial-number column and a person column \
                 (employee number, e-mail, username or name)"
            }
            Some(ListKind::People) => {
                "--kind people needs a person column (employee number, e-mail, username or name)"
            }
            Some(ListKind::Devices) => "--kind devices needs a serial-number column",
            None => {
                "a list needs a serial-number column (devices; with a person column, handouts) \
                 or an employee-number or e-mail column (people)"
            }
        };
        Error::InvalidFile {
            summary: format!(
                "{file} is not a list handback can import: {}; {needs}",
                found(columns)
            ),
            details: "Rename the headers (Serienummer, Anställningsnummer, Namn, E-post…) or \
                      name them with --map \"HEADER=field\"."
                .to_string(),
        }
    })
}

fn found(columns: &Columns) -> String {
    let mapped: Vec<String> = columns
        .mapped()
        .map(|(c, field)| format!("{} as {field}", c.label()))
        .collect();
    if mapped.is_empty() {
        let headers: Vec<String> = columns.columns.iter().map(|c| c.header.clone()).collect();
        format!(
            "none of its columns ({}) is one handback knows",
            list_headers(&headers)
        )
    } else {
        format!("it has {}", mapped.join(", "))
    }
}

fn list_headers(headers: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut shown: Vec<String> = headers
        .iter()
        .take(SHOWN)
        .map(|h| format!("{:?}", shorten(h.trim())))
        .collect();
    if headers.len() > SHOWN {
        shown.push(format!("and {} more", headers.len() - SHOWN));
    }
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use std::collections::HashMap;

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[rstest]
    #[case("Serienummer", Field::Serial)]
    #[case("Serienr", Field::Serial)]
    #[case("S/N", Field::Serial)]
    #[case("Serial number", Field::Serial)]
    #[case("SERIAL", Field::Serial)]
    #[case("serial", Field::Serial)]
    #[case("Anställningsnummer", Field::EmployeeNo)]
    #[case("Anst.nr", Field::EmployeeNo)]
    #[case("ANST NR", Field::EmployeeNo)]
    #[case("Employee number", Field::EmployeeNo)]
    #[case("Employee No.", Field::EmployeeNo)]
    #[case("employee_no", Field::EmployeeNo)]
    #[case("Namn", Field::Name)]
    #[case("Användare", Field::Name)]
    #[case("Anvandare", Field::Name)]
    #[case("Full Name", Field::Name)]
    #[case("Name", Field::Name)]
    #[case("Förnamn", Field::FirstName)]
    #[case("First name", Field::FirstName)]
    #[case("Efternamn", Field::LastName)]
    #[case("Last name", Field::LastName)]
    #[case("E-post", Field::Email)]
    #[case("Email", Field::Email)]
    #[case("Mail", Field::Email)]
    #[case("Username", Field::Username)]
    #[case("Användarnamn", Field::Username)]
    #[case("Förvaltning", Field::Department)]
    #[case("Enhet", Field::Department)]
    #[case("Avdelning", Field::Department)]
    #[case("Department", Field::Department)]
    #[case("Slutdatum", Field::EndDate)]
    #[case("Sista arbetsdag", Field::EndDate)]
    #[case("End date", Field::EndDate)]
    #[case("Last working day", Field::EndDate)]
    #[case("Inv.nr", Field::AssetTag)]
    #[case("Inventarienummer", Field::AssetTag)]
    #[case("Asset tag", Field::AssetTag)]
    #[case("Asset Tag", Field::AssetTag)]
    #[case("asset_tag", Field::AssetTag)]
    #[case("Typ", Field::Kind)]
    #[case("Kategori", Field::Kind)]
    #[case("Category", Field::Kind)]
    #[case("Kind", Field::Kind)]
    #[case("Type", Field::Kind)]
    #[case("Fabrikat", Field::Make)]
    #[case("Tillverkare", Field::Make)]
    #[case("Manufacturer", Field::Make)]
    #[case("Make", Field::Make)]
    #[case("Modell", Field::Model)]
    #[case("Model", Field::Model)]
    #[case("Model name", Field::Model)]
    #[case("Status", Field::Status)]
    #[case("Inköpsdatum", Field::Purchased)]
    #[case("Purchase Date", Field::Purchased)]
    #[case("Purchased", Field::Purchased)]
    #[case("Utlämnad", Field::HandedOutOn)]
    #[case("Utlämningsdatum", Field::HandedOutOn)]
    #[case("Checkout date", Field::HandedOutOn)]
    #[case("Checked out", Field::Name)]
    #[case("Checkout Date", Field::HandedOutOn)]
    #[case("Utlämnat datum", Field::HandedOutOn)]
    #[case("Organisationsenhet", Field::Department)]
    #[case("Anställd till", Field::EndDate)]
    #[case("Efternamn, Förnamn", Field::NameLastFirst)]
    #[case("Employee No.", Field::EmployeeNo)]
    #[case("Handläggare", Field::HandedOutBy)]
    #[case("Utlämnad av", Field::HandedOutBy)]
    #[case("Checked out by", Field::HandedOutBy)]
    #[case("Handed out by", Field::HandedOutBy)]
    #[case("Återlämnas senast", Field::DueBack)]
    #[case("Due", Field::DueBack)]
    #[case("Expected checkin", Field::DueBack)]
    #[case("Expected Checkin Date", Field::DueBack)]
    #[case("Anteckning", Field::Note)]
    #[case("Kommentar", Field::Note)]
    #[case("Notes", Field::Note)]
    #[case("Note", Field::Note)]
    #[case("  note  ", Field::Note)]
    fn headers_map_to_fields(#[case] header: &str, #[case] field: Field) {
        assert_eq!(lookup(header), Some(Target::Field(field)), "{header}");
    }

    #[rstest]
    #[case("Personnummer")]
    #[case("Personnr")]
    #[case("PNR")]
    #[case("Personal identity number")]
    #[case("SSN")]
    fn personal_identity_numbers_are_recognised(#[case] header: &str) {
        assert_eq!(lookup(header), Some(Pin));
    }

    #[test]
    fn the_alias_table_has_no_contradictions() {
        let mut seen: HashMap<String, (&str, Target)> = HashMap::new();
        for field in Field::ALL {
            seen.insert(header_key(field.as_str()), (field.as_str(), f(field)));
        }
        for (alias, target) in ALIASES {
            let key = header_key(alias);
            assert!(!key.is_empty(), "{alias}");
            if let Some((other, earlier)) = seen.insert(key, (alias, *target)) {
                assert_eq!(earlier, *target, "{alias} and {other} disagree");
            }
        }
    }

    #[test]
    fn snipe_it_export_headers_are_all_known() {
        let snipe = [
            "Full Name",
            "Email",
            "Username",
            "Category",
            "Model name",
            "Manufacturer",
            "Model Number",
            "Serial number",
            "Asset Tag",
            "Location",
            "Notes",
            "Purchase Date",
            "Purchase Cost",
            "Company",
            "Status",
            "Warranty Months",
            "Supplier",
            "Item Name",
            "Checkout Date",
            "Expected Checkin Date",
            "Order Number",
            "Employee Number",
        ];
        for header in snipe {
            assert!(lookup(header).is_some(), "{header}");
        }
    }

    #[rstest]
    #[case(&["Serienr", "Anst.nr"], ListKind::Handouts)]
    #[case(&["Serial number", "Full Name"], ListKind::Handouts)]
    #[case(&["serial", "email"], ListKind::Handouts)]
    #[case(&["Serienr", "Förnamn", "Efternamn"], ListKind::Handouts)]
    #[case(&["Anst.nr", "Namn", "Slutdatum"], ListKind::People)]
    #[case(&["E-post", "Förnamn"], ListKind::People)]
    #[case(&["Serienummer", "Modell"], ListKind::Devices)]
    #[case(&["Serienummer"], ListKind::Devices)]
    fn the_kind_is_detected(#[case] list: &[&str], #[case] kind: ListKind) {
        let columns = map_columns(&headers(list), &[], None, "x.csv").unwrap();
        assert_eq!(columns.kind, kind);
    }

    #[rstest]
    #[case(&["Namn", "Förvaltning"], "it has \"Namn\" as name, \"Förvaltning\" as department")]
    #[case(&["Rum", "Våning"], "none of its columns (\"Rum\", \"Våning\")")]
    #[case(&["Personnummer", "Modell"], "it has \"Modell\" as model")]
    fn lists_without_the_columns_needed_are_refused(#[case] list: &[&str], #[case] words: &str) {
        let err = map_columns(&headers(list), &[], None, "x.csv").unwrap_err();
        assert_eq!(err.exit_code(), 65);
        let message = err.to_string();
        assert!(message.starts_with("x.csv is not a list"), "{message}");
        assert!(message.contains(words), "{message}");
    }

    #[rstest]
    #[case(&["Namn", "Anst.nr"], ListKind::Handouts, false)]
    #[case(&["Namn"], ListKind::People, true)]
    #[case(&["Serienr", "Anst.nr"], ListKind::People, true)]
    #[case(&["Anst.nr"], ListKind::Devices, false)]
    #[case(&["Serienr", "Namn"], ListKind::Devices, true)]
    fn a_forced_kind_needs_its_columns(
        #[case] list: &[&str],
        #[case] kind: ListKind,
        #[case] ok: bool,
    ) {
        let result = map_columns(&headers(list), &[], Some(kind), "x.csv");
        assert_eq!(result.is_ok(), ok, "{result:?}");
        if let Ok(columns) = result {
            assert_eq!(columns.kind, kind);
        }
    }

    #[test]
    fn the_first_of_two_columns_for_one_field_wins() {
        let columns =
            map_columns(&headers(&["Namn", "Serienr", "Användare"]), &[], None, "x").unwrap();
        assert_eq!(columns.index_of(Field::Name), Some(0));
        let ignored: Vec<_> = columns
            .ignored()
            .map(|(c, r)| (c.index, r.clone()))
            .collect();
        assert_eq!(ignored, vec![(2, IgnoreReason::Duplicate(Field::Name))]);
    }

    #[test]
    fn personal_identity_numbers_are_ignored_and_reported() {
        let columns = map_columns(
            &headers(&["Personnummer", "Namn", "Anst.nr", "Våning"]),
            &[],
            None,
            "x",
        )
        .unwrap();
        assert!(columns.has_personal_identity_numbers());
        let reasons: Vec<String> = columns.ignored().map(|(_, r)| r.to_string()).collect();
        assert_eq!(reasons[0], "personal identity numbers are never stored");
        assert!(reasons[1].starts_with("not a column handback knows"));
        assert_eq!(columns.mapped().count(), 2);
    }

    #[test]
    fn overrides_win_over_the_alias_table() {
        let maps = vec![
            ColumnOverride::parse("Serie=serial").unwrap(),
            ColumnOverride::parse("namn=ignore").unwrap(),
            ColumnOverride::parse("Vem=name").unwrap(),
        ];
        let columns = map_columns(
            &headers(&["Serie", "Namn", "Vem", "Serienr"]),
            &maps,
            None,
            "x",
        )
        .unwrap();
        assert_eq!(columns.index_of(Field::Serial), Some(0));
        assert_eq!(columns.index_of(Field::Name), Some(2));
        assert_eq!(
            columns.columns[1].usage,
            ColumnUse::Ignored(IgnoreReason::ByRequest)
        );
        assert_eq!(
            columns.columns[3].usage,
            ColumnUse::Ignored(IgnoreReason::Duplicate(Field::Serial))
        );
        assert_eq!(columns.kind, ListKind::Handouts);
    }

    #[rstest]
    #[case(&["Serie=serial"], "has no such column")]
    #[case(&["Serienr=serial", "Modell=serial"], "two columns as serial")]
    #[case(&["Serienr=serial", "serienr=ignore"], "twice")]
    #[case(&["Personnummer=employee_no"], "never stores")]
    fn bad_overrides_are_invalid_input(#[case] maps: &[&str], #[case] words: &str) {
        let maps: Vec<_> = maps
            .iter()
            .map(|m| ColumnOverride::parse(m).unwrap())
            .collect();
        let err = map_columns(
            &headers(&["Serienr", "Modell", "Personnummer", "Namn"]),
            &maps,
            None,
            "x",
        )
        .unwrap_err();
        assert_eq!(err.exit_code(), 65);
        assert!(err.to_string().contains(words), "{err}");
    }

    #[rstest]
    #[case("Serie=serial", "Serie", Some(Field::Serial))]
    #[case(" Anst. nr = employee_no ", "Anst. nr", Some(Field::EmployeeNo))]
    #[case("a=b=note", "a=b", Some(Field::Note))]
    #[case("Rum=IGNORE", "Rum", None)]
    #[case("Ut=handed-out-on", "Ut", Some(Field::HandedOutOn))]
    fn map_options(#[case] raw: &str, #[case] header: &str, #[case] target: Option<Field>) {
        let parsed = ColumnOverride::parse(raw).unwrap();
        assert_eq!(parsed.header, header);
        assert_eq!(parsed.target, target);
    }

    #[rstest]
    #[case("Serie")]
    #[case("=serial")]
    #[case("Serie=serienummer")]
    #[case("Serie=")]
    fn bad_map_options_are_invalid_input(#[case] raw: &str) {
        assert_eq!(ColumnOverride::parse(raw).unwrap_err().exit_code(), 65);
    }

    #[test]
    fn every_field_name_parses_back() {
        for field in Field::ALL {
            assert_eq!(field.as_str().parse::<Field>().unwrap(), field);
            assert_eq!(Field::ALL[field.index()], field);
        }
        for kind in [ListKind::Handouts, ListKind::People, ListKind::Devices] {
            assert_eq!(kind.as_str().parse::<ListKind>().unwrap(), kind);
        }
        assert!("stuff".parse::<ListKind>().is_err());
    }
}
