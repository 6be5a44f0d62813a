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
    /// The person's manager: an employee number, e-mail address or name.
    Manager,
    /// The language of the person's notices (`sv`, `Svenska`, `en`, `English`).
    Language,
    /// Whether the employment goes on (`Aktiv`) or has ended (`Avslutad`), in an HR list.
    Employment,
}

impl Field {
    pub const COUNT: usize = 23;
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
        Field::Manager,
        Field::Language,
        Field::Employment,
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
            Field::Manager => "manager",
            Field::Language => "language",
            Field::Employment => "employment",
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

/// One `--map "HEADER=field"` (or `HEADER=ignore`, then `target` is `None`), or
/// `HEADER=serial:KIND`, a column of serial numbers of devices of one kind (a wide list's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnOverride {
    pub header: String,
    pub target: Option<Field>,
    /// The kind of device a `serial:KIND` column's serials are, canonicalised.
    pub kind: Option<String>,
}

impl ColumnOverride {
    /// Parses `HEADER=field` or `HEADER=serial:KIND`. The last `=` splits, so a header may
    /// itself contain one.
    pub fn parse(raw: &str) -> Result<ColumnOverride> {
        let usage = || {
            Error::invalid(format!(
                "--map {:?} is not HEADER=field (for example --map \"Serie=serial\", --map \"Mobil=serial:phone\" or --map \"Rum=ignore\")",
                shorten(raw)
            ))
        };
        let (header, field) = raw.rsplit_once('=').ok_or_else(usage)?;
        let header = header.trim();
        if header.is_empty() {
            return Err(usage());
        }
        let (field, kind) = match field.split_once(':') {
            Some((field, kind)) => (field, Some(kind.trim())),
            None => (field, None),
        };
        let target = if field.trim().eq_ignore_ascii_case("ignore") && kind.is_none() {
            None
        } else {
            Some(field.parse::<Field>()?)
        };
        let kind = match (target, kind) {
            (_, None) => None,
            (Some(Field::Serial), Some(kind)) if !kind.is_empty() => {
                Some(crate::model::canonical_kind(kind))
            }
            (Some(Field::Serial), Some(_)) => {
                return Err(Error::invalid(format!(
                    "--map {:?}: name the kind after the colon, for example serial:laptop or \
                     serial:phone",
                    shorten(raw)
                )));
            }
            (_, Some(_)) => {
                return Err(Error::invalid(format!(
                    "--map {:?}: only serial takes a kind (HEADER=serial:KIND)",
                    shorten(raw)
                )));
            }
        };
        Ok(ColumnOverride {
            header: header.to_string(),
            target,
            kind,
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
    /// The header names serial numbers (`Serienr laddare`), but of no kind of device
    /// handback knows, so which device they are would be a guess.
    SerialsOfNoKnownKind,
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
            IgnoreReason::SerialsOfNoKnownKind => f.write_str(
                "serial numbers, but of no kind of device handback knows (name it with \
                 --map \"HEADER=serial:KIND\")",
            ),
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
    /// For a column of serial numbers, the kind of device its header names (`Serienr
    /// dator` → laptop, `IMEI` → phone) or `--map "HEADER=serial:KIND"` gives.
    pub kind: Option<String>,
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
    /// A wide list's other device columns: columns of serial numbers besides the one
    /// [`Field::Serial`] reads, in file order (see [`Columns::extra_devices`]).
    extra_devices: Vec<usize>,
}

impl Columns {
    /// A wide list's device columns besides the first ([`Field::Serial`]'s): each cell of
    /// them is a device of the column's kind, handed to the row's person. The other device
    /// columns of the list (kind, make, model, asset tag, status, purchase date) describe
    /// the first device column's device. Empty for a list of one device a row.
    pub fn extra_devices(&self) -> &[usize] {
        &self.extra_devices
    }

    /// Whether rows hold more than one device: a column per device.
    pub fn is_wide(&self) -> bool {
        !self.extra_devices.is_empty()
    }

    /// The columns of serial numbers, in file order, the first [`Field::Serial`]'s.
    pub fn device_columns(&self) -> impl Iterator<Item = &Column> {
        self.index_of(Field::Serial)
            .into_iter()
            .chain(self.extra_devices.iter().copied())
            .filter_map(|i| self.columns.get(i))
    }

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
    /// A column headed by a kind of device alone (`Mobil`, `Skärm`, `Dator`) whose values
    /// all look like serial numbers ([`looks_like_serial`]: not phone numbers) is a column
    /// of devices of that kind. `samples` are the first data rows; a column needs two values (one in a one-row
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
            let mut device_kind = None;
            let new_use = match &column.usage {
                ColumnUse::Ignored(IgnoreReason::Unknown) => {
                    if !self.has(Field::Kind) && values.iter().all(|v| is_kind_word(v)) {
                        Some(ColumnUse::Field(Field::Kind))
                    } else if !self.has(Field::Email) && values.iter().all(|v| looks_like_email(v))
                    {
                        Some(ColumnUse::Field(Field::Email))
                    } else if let Some(kind) = header_kind(&header_key(&column.header))
                        && values.iter().all(|v| looks_like_serial(v))
                    {
                        // `Mobil`, `Skärm` over serial numbers: a wide list's device column.
                        device_kind = Some(kind);
                        Some(ColumnUse::Field(Field::Serial))
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
            match new_use {
                // Where a column of serials goes is decided with the others, below.
                ColumnUse::Field(Field::Serial) => {}
                ColumnUse::Field(field) => self.by_field[field.index()] = Some(index),
                ColumnUse::Ignored(_) => {}
            }
            self.columns[index].usage = new_use;
            self.columns[index].from_values = true;
            if device_kind.is_some() {
                self.columns[index].kind = device_kind;
            }
            changed = true;
        }
        if changed {
            self.place_devices();
            self.kind = decide_kind(self, forced, file)?;
        }
        Ok(())
    }
}

/// A word of the device-kind vocabulary (`Bärbar dator`, `Laptops`, `Mobil`, `dock`).
fn is_kind_word(value: &str) -> bool {
    let canonical = crate::model::canonical_kind(value);
    crate::model::is_known_kind(&canonical)
}

/// A value that can be a serial number and is nothing else a list's cell is likely to hold
/// under a header that names a kind of device (`Mobil`, `Dator`): one word of letters and
/// digits with at least one digit, not a date, not a phone number (`0701234567`,
/// `+46701234567`) and not `Ja`/`Nej`.
fn looks_like_serial(value: &str) -> bool {
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    let word = value.len() >= 4
        && digits > 0
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    let phone_number = value.starts_with('+')
        || (value.starts_with('0')
            && (7..=12).contains(&digits)
            && value.bytes().all(|b| b.is_ascii_digit() || b == b'-'));
    word && !phone_number && crate::import::values::parse_import_date(value, &[]).is_err()
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
    // manager
    ("Chef", f(Field::Manager)),
    ("Närmaste chef", f(Field::Manager)),
    ("Chefens anställningsnummer", f(Field::Manager)),
    ("Chef anst.nr", f(Field::Manager)),
    ("Chefens e-post", f(Field::Manager)),
    ("Manager", f(Field::Manager)),
    ("Manager employee number", f(Field::Manager)),
    ("Manager email", f(Field::Manager)),
    ("Line manager", f(Field::Manager)),
    ("Reports to", f(Field::Manager)),
    ("Supervisor", f(Field::Manager)),
    // language
    ("Språk", f(Field::Language)),
    ("Korrespondensspråk", f(Field::Language)),
    ("Language", f(Field::Language)),
    ("Preferred language", f(Field::Language)),
    // employment
    ("Anställningsstatus", f(Field::Employment)),
    ("Anställning", f(Field::Employment)),
    ("Employment status", f(Field::Employment)),
    ("Employee status", f(Field::Employment)),
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
/// then the alias table, then headers that name serial numbers of a kind of device
/// ([`serial_header`]); then the list's kind, forced or detected. `file` names the file in
/// messages.
///
/// Several columns may be serial numbers: one whose header names no kind (`Serienr`) is the
/// list's [`Field::Serial`], and a second such column is a duplicate; columns of a kind
/// (`Serienr dator`, `IMEI telefon`, `--map "HEADER=serial:KIND"`) are each a device of the
/// row. Without a plain one, the leftmost of a kind is [`Field::Serial`].
pub fn map_columns(
    headers: &[String],
    overrides: &[ColumnOverride],
    forced: Option<ListKind>,
    file: &str,
) -> Result<Columns> {
    let mut decided = Decided {
        uses: vec![None; headers.len()],
        kinds: vec![None; headers.len()],
        by_field: [None; Field::COUNT],
    };
    // Overrides: checked against each other and against the file before anything else.
    apply_overrides(headers, overrides, file, &mut decided)?;
    let Decided {
        uses,
        mut kinds,
        mut by_field,
    } = decided;

    let mut columns = Vec::with_capacity(headers.len());
    for (index, (header, usage)) in headers.iter().zip(uses).enumerate() {
        let target = lookup(header).or_else(|| {
            (serial_header(header) == Some(SerialHeader::Plain)).then_some(f(Field::Serial))
        });
        let usage = usage.unwrap_or_else(|| match target {
            Some(Target::Field(Field::Serial)) => match serial_header(header) {
                Some(SerialHeader::Of(kind)) => {
                    kinds[index] = Some(kind);
                    ColumnUse::Field(Field::Serial)
                }
                _ if by_field[Field::Serial.index()].is_some() => {
                    ColumnUse::Ignored(IgnoreReason::Duplicate(Field::Serial))
                }
                _ => {
                    by_field[Field::Serial.index()] = Some(index);
                    ColumnUse::Field(Field::Serial)
                }
            },
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
            None => match serial_header(header) {
                Some(SerialHeader::Of(kind)) => {
                    kinds[index] = Some(kind);
                    ColumnUse::Field(Field::Serial)
                }
                Some(SerialHeader::OfUnknown) => {
                    ColumnUse::Ignored(IgnoreReason::SerialsOfNoKnownKind)
                }
                Some(SerialHeader::Plain) | None => ColumnUse::Ignored(IgnoreReason::Unknown),
            },
        });
        columns.push(Column {
            index,
            header: header.trim().to_string(),
            usage,
            from_values: false,
            kind: kinds[index].take(),
        });
    }

    let mut mapped = Columns {
        columns,
        kind: ListKind::Devices,
        by_field,
        extra_devices: Vec::new(),
    };
    mapped.place_devices();
    mapped.kind = decide_kind(&mapped, forced, file)?;
    Ok(mapped)
}

impl Columns {
    /// Decides which column of serial numbers is [`Field::Serial`] (the plain one, else the
    /// leftmost of a kind) and lists the others as [`Columns::extra_devices`].
    fn place_devices(&mut self) {
        let serials: Vec<usize> = self
            .columns
            .iter()
            .filter(|c| c.usage == ColumnUse::Field(Field::Serial))
            .map(|c| c.index)
            .collect();
        let primary = self.by_field[Field::Serial.index()].or(serials.first().copied());
        self.by_field[Field::Serial.index()] = primary;
        self.extra_devices = serials
            .into_iter()
            .filter(|i| Some(*i) != primary)
            .collect();
    }
}

/// What the `--map` overrides decide of each column, before the alias table is read.
struct Decided {
    uses: Vec<Option<ColumnUse>>,
    /// A `serial:KIND` column's kind.
    kinds: Vec<Option<String>>,
    by_field: [Option<usize>; Field::COUNT],
}

/// The `--map` overrides, each checked against the others and against the file's headers,
/// written into `decided`.
fn apply_overrides(
    headers: &[String],
    overrides: &[ColumnOverride],
    file: &str,
    decided: &mut Decided,
) -> Result<()> {
    let Decided {
        uses,
        kinds,
        by_field,
    } = decided;
    for (n, o) in overrides.iter().enumerate() {
        let key = header_key(&o.header);
        if overrides[..n].iter().any(|e| header_key(&e.header) == key) {
            return Err(Error::invalid(format!(
                "--map names the column {:?} twice",
                shorten(&o.header)
            )));
        }
        // Columns of serial numbers of a kind may be many: one a device of the row each.
        if let Some(field) = o.target
            && o.kind.is_none()
            && overrides[..n]
                .iter()
                .any(|e| e.target == Some(field) && e.kind.is_none())
        {
            return Err(Error::invalid(format!(
                "--map reads two columns as {field}: name only one{}",
                if field == Field::Serial {
                    " (or give each the kind of its devices: HEADER=serial:KIND)"
                } else {
                    ""
                }
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
                match &o.kind {
                    Some(kind) => kinds[index] = Some(kind.clone()),
                    None => by_field[field.index()] = Some(index),
                }
                ColumnUse::Field(field)
            }
            None => ColumnUse::Ignored(IgnoreReason::ByRequest),
        });
    }
    Ok(())
}

/// What a header of serial numbers says of their devices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SerialHeader {
    /// Serial numbers of devices of no kind the header names (`Serienr`, `Serial number`).
    Plain,
    /// Of devices of this kind (`Serienr dator`, `IMEI telefon`, `Laptop S/N`, `IMEI`).
    Of(String),
    /// Of something the header names that is no kind of device handback knows
    /// (`Serienr laddare`).
    OfUnknown,
}

/// The words of a header that say "serial number", as [`header_key`] writes them; a longer
/// word before any word it begins with.
const SERIAL_WORDS: [&str; 9] = [
    "serienummer",
    "serienr",
    "serialnumber",
    "serialno",
    "serial",
    "imeinummer",
    "imeinr",
    "imei",
    "sn",
];

/// Words between the serial word and the kind: `Serienummer för dator`, `Serial of phone`.
const LINK_WORDS: [&str; 4] = ["for", "till", "pa", "of"];

/// Whether a header names serial numbers, and of what: a serial word at its start or end
/// (`Serienr dator`, `Dator serienr`, `IMEI telefon`, `Mobil (IMEI)`, `Laptop S/N`) and the
/// rest a kind of device ([`header_kind`]). An IMEI is a phone's. `None` when the header
/// does not name serial numbers; a short `SN` with other words names them only when those
/// words are a kind (a header ending in "sn" is not enough).
pub(crate) fn serial_header(header: &str) -> Option<SerialHeader> {
    let key = header_key(header);
    for word in SERIAL_WORDS {
        let Some(rest) = key.strip_prefix(word).or_else(|| key.strip_suffix(word)) else {
            continue;
        };
        if SERIAL_WORDS.contains(&rest) {
            // `Serienr/IMEI`: one column of either.
            return Some(SerialHeader::Plain);
        }
        if rest.is_empty() {
            return Some(if word.starts_with("imei") {
                SerialHeader::Of("phone".to_string())
            } else {
                SerialHeader::Plain
            });
        }
        if let Some(kind) = header_kind(rest) {
            return Some(SerialHeader::Of(kind));
        }
        if word != "sn" {
            return Some(SerialHeader::OfUnknown);
        }
    }
    None
}

/// The kind of device a word of a header names (as [`header_key`] writes it): the kind
/// vocabulary of [`crate::model::canonical_kind`], except that a header's `dator` is a
/// laptop, as nearly every computer handed to a person is; `None` for any other word.
pub(crate) fn header_kind(word: &str) -> Option<String> {
    let word = LINK_WORDS
        .iter()
        .find_map(|link| word.strip_prefix(link).filter(|w| is_kind_key(w)))
        .unwrap_or(word);
    match word {
        "dator" | "datorer" => Some("laptop".to_string()),
        _ if is_kind_key(word) => Some(crate::model::canonical_kind(word)),
        _ => None,
    }
}

fn is_kind_key(word: &str) -> bool {
    !word.is_empty() && is_kind_word(word)
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
    if forced.is_none() && kind == Some(ListKind::People) {
        refuse_lost_serials(columns, file)?;
    }
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

/// A list read as one of people whose headers name serial numbers that it does not read
/// (`Serienr laddare`) would lose those devices without a word: it is refused, saying how
/// to read them or that `--kind people` reads the people alone.
fn refuse_lost_serials(columns: &Columns, file: &str) -> Result<()> {
    let lost: Vec<String> = columns
        .ignored()
        .filter(|(_, reason)| **reason == IgnoreReason::SerialsOfNoKnownKind)
        .map(|(column, _)| column.label())
        .collect();
    let Some(first) = columns
        .ignored()
        .find(|(_, reason)| **reason == IgnoreReason::SerialsOfNoKnownKind)
    else {
        return Ok(());
    };
    Err(Error::InvalidFile {
        summary: format!(
            "{file} would import as a list of people and lose its devices: {} {} serial \
             numbers, but of no kind of device handback knows",
            lost.join(", "),
            if lost.len() == 1 { "holds" } else { "hold" },
        ),
        details: format!(
            "Name the kind of each with --map, for example --map \"{}=serial:laptop\" (laptop, \
             computer, tablet, phone, headset, monitor, dock or other), or import only the \
             people with --kind people.",
            first.0.header
        ),
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

    #[rstest]
    #[case("Serienr dator", Some(SerialHeader::Of("laptop".into())))]
    #[case("Dator, serienummer", Some(SerialHeader::Of("laptop".into())))]
    #[case("Serienummer för dator", Some(SerialHeader::Of("laptop".into())))]
    #[case("IMEI telefon", Some(SerialHeader::Of("phone".into())))]
    #[case("Mobil (IMEI)", Some(SerialHeader::Of("phone".into())))]
    #[case("IMEI", Some(SerialHeader::Of("phone".into())))]
    #[case("IMEI-nummer", Some(SerialHeader::Of("phone".into())))]
    #[case("Serienr skärm", Some(SerialHeader::Of("monitor".into())))]
    #[case("Bildskärm S/N", Some(SerialHeader::Of("monitor".into())))]
    #[case("Laptop S/N", Some(SerialHeader::Of("laptop".into())))]
    #[case("Phone IMEI", Some(SerialHeader::Of("phone".into())))]
    #[case("Serial number (tablet)", Some(SerialHeader::Of("tablet".into())))]
    #[case("Dockningsstation serienr", Some(SerialHeader::Of("dock".into())))]
    #[case("Serienr", Some(SerialHeader::Plain))]
    #[case("Serial number", Some(SerialHeader::Plain))]
    #[case("Serienr/IMEI", Some(SerialHeader::Plain))]
    #[case("Serienr laddare", Some(SerialHeader::OfUnknown))]
    #[case("IMEI 2", Some(SerialHeader::OfUnknown))]
    #[case("Lösn", None)]
    #[case("Namn", None)]
    #[case("Mobil", None)]
    #[case("Mobilnummer", None)]
    fn headers_of_serial_numbers_name_their_kind(
        #[case] header: &str,
        #[case] said: Option<SerialHeader>,
    ) {
        assert_eq!(serial_header(header), said, "{header}");
    }

    #[test]
    fn a_wide_list_has_a_device_column_per_kind() {
        let columns = map_columns(
            &headers(&[
                "Namn",
                "Anst.nr",
                "Serienr dator",
                "IMEI telefon",
                "Serienr skärm",
            ]),
            &[],
            None,
            "x",
        )
        .unwrap();
        assert_eq!(columns.kind, ListKind::Handouts);
        assert_eq!(columns.index_of(Field::Serial), Some(2));
        assert_eq!(columns.extra_devices(), &[3, 4]);
        let kinds: Vec<Option<&str>> = columns
            .device_columns()
            .map(|c| c.kind.as_deref())
            .collect();
        assert_eq!(kinds, [Some("laptop"), Some("phone"), Some("monitor")]);
    }

    #[rstest]
    // A plain column of serials is the first device, wherever it is; a second is a duplicate.
    #[case(&["IMEI", "Namn", "Serienr"], Some(2), &[0])]
    #[case(&["Serienr", "Serienummer", "IMEI"], Some(0), &[2])]
    #[case(&["Serienr"], Some(0), &[])]
    #[case(&["IMEI", "Anst.nr"], Some(0), &[])]
    fn which_serial_column_is_the_first_device(
        #[case] list: &[&str],
        #[case] serial: Option<usize>,
        #[case] extra: &[usize],
    ) {
        let columns = map_columns(&headers(list), &[], None, "x").unwrap();
        assert_eq!(columns.index_of(Field::Serial), serial);
        assert_eq!(columns.extra_devices(), extra);
    }

    #[test]
    fn serials_of_no_known_kind_in_a_list_of_people_refuse_it() {
        let list = headers(&["Namn", "Anst.nr", "Serienr laddare"]);
        let err = map_columns(&list, &[], None, "x.csv").unwrap_err();
        assert_eq!(err.exit_code(), 65);
        assert!(err.to_string().contains("lose its devices"), "{err}");
        let people = map_columns(&list, &[], Some(ListKind::People), "x.csv").unwrap();
        assert_eq!(
            people.columns[2].usage,
            ColumnUse::Ignored(IgnoreReason::SerialsOfNoKnownKind)
        );
        let ignored = vec![ColumnOverride::parse("Serienr laddare=ignore").unwrap()];
        assert_eq!(
            map_columns(&list, &ignored, None, "x.csv").unwrap().kind,
            ListKind::People
        );
        // Beside a device column, it is ignored and said so, not refused.
        let beside = headers(&["Namn", "Serienr dator", "Serienr laddare"]);
        assert_eq!(
            map_columns(&beside, &[], None, "x.csv").unwrap().kind,
            ListKind::Handouts
        );
    }

    #[rstest]
    #[case("Mobil=serial:phone", Some(Field::Serial), Some("phone"))]
    #[case("Lånedator=serial:Bärbar dator", Some(Field::Serial), Some("laptop"))]
    #[case("X=serial:laddare", Some(Field::Serial), Some("laddare"))]
    #[case("X=serial", Some(Field::Serial), None)]
    fn map_serial_kind(
        #[case] raw: &str,
        #[case] target: Option<Field>,
        #[case] kind: Option<&str>,
    ) {
        let parsed = ColumnOverride::parse(raw).unwrap();
        assert_eq!(parsed.target, target);
        assert_eq!(parsed.kind.as_deref(), kind);
    }

    #[rstest]
    #[case("Namn=name:laptop")]
    #[case("X=serial:")]
    #[case("X=ignore:phone")]
    fn bad_kinds_in_maps_are_invalid_input(#[case] raw: &str) {
        assert_eq!(ColumnOverride::parse(raw).unwrap_err().exit_code(), 65);
    }

    #[test]
    fn several_columns_may_be_mapped_as_serials_of_a_kind() {
        let maps: Vec<_> = ["A=serial:laptop", "B=serial:phone", "C=serial"]
            .iter()
            .map(|m| ColumnOverride::parse(m).unwrap())
            .collect();
        let columns = map_columns(&headers(&["A", "B", "C", "Namn"]), &maps, None, "x").unwrap();
        assert_eq!(columns.index_of(Field::Serial), Some(2));
        assert_eq!(columns.extra_devices(), &[0, 1]);
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
