//! The pure parts of the directory reader; `tests/handback/directory.rs` drives the real
//! server.

use super::*;
use proptest::prelude::*;
use rstest::rstest;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a test's own time")
        .with_timezone(&Utc)
}

#[rstest]
#[case::never_zero(0, None)]
#[case::never_max(i64::MAX, None)]
#[case::before_1601(-1, None)]
#[case::the_unix_epoch(116_444_736_000_000_000, Some("1970-01-01T00:00:00Z"))]
#[case::end_of_30_september_2026_in_stockholm(
    134_352_792_000_000_000,
    Some("2026-09-30T22:00:00Z")
)]
#[case::sub_second_ticks(116_444_736_000_000_001, Some("1970-01-01T00:00:00.0000001Z"))]
#[case::the_first_tick(1, Some("1601-01-01T00:00:00.0000001Z"))]
fn filetime(#[case] ticks: i64, #[case] expected: Option<&str>) {
    assert_eq!(filetime_to_utc(ticks), expected.map(utc));
}

#[rstest]
#[case("134352792000000000", Some("2026-09-30T22:00:00Z"))]
#[case(" 9223372036854775807 ", None)]
#[case("0", None)]
#[case("", None)]
#[case("never", None)]
#[case("99999999999999999999", None)]
fn account_expires_text(#[case] value: &str, #[case] expected: Option<&str>) {
    assert_eq!(account_expires(value), expected.map(utc));
}

#[rstest]
#[case::normal("512", false)]
#[case::disabled("514", true)]
#[case::disabled_password_never_expires("66050", true)]
#[case::password_never_expires("66048", false)]
#[case::bit_2_alone("2", true)]
#[case::negative_with_the_bit("-2147483646", true)]
#[case::not_a_number("disabled", false)]
#[case::empty("", false)]
fn uac(#[case] value: &str, #[case] disabled: bool) {
    assert_eq!(uac_disabled(value), disabled);
}

#[rstest]
#[case("20250314101500Z", Some("2025-03-14T10:15:00Z"))]
#[case("20250314101500.0Z", Some("2025-03-14T10:15:00Z"))]
#[case("20250314101500,123Z", Some("2025-03-14T10:15:00Z"))]
#[case("20250314111500+0100", Some("2025-03-14T10:15:00Z"))]
#[case("20250314051500-0500", Some("2025-03-14T10:15:00Z"))]
#[case("2025031410Z", None)]
#[case("20250314101500", None)]
#[case("20251314101500Z", None)]
#[case("20250314101500+01", None)]
#[case("yesterday", None)]
#[case("2025031410150Ö", None)]
fn generalized(#[case] value: &str, #[case] expected: Option<&str>) {
    assert_eq!(generalized_time(value), expected.map(utc));
}

#[rstest]
#[case(
    Some("Ahmed Hassan (IT)"),
    Some("Ahmed"),
    Some("Hassan"),
    Some("Ahmed Hassan"),
    Some("Ahmed Hassan (IT)")
)]
#[case(
    None,
    Some("Per"),
    Some("Gustafsson"),
    Some("cn"),
    Some("Per Gustafsson")
)]
#[case(Some("  "), Some("Åsa"), Some("Wikström"), None, Some("Åsa Wikström"))]
#[case(None, Some("Örjan"), None, Some("cn"), Some("Örjan"))]
#[case(None, None, Some("Öst"), None, Some("Öst"))]
#[case(None, None, None, Some("Börje Öst"), Some("Börje Öst"))]
#[case(None, None, None, None, None)]
fn names(
    #[case] display: Option<&str>,
    #[case] given: Option<&str>,
    #[case] surname: Option<&str>,
    #[case] common: Option<&str>,
    #[case] expected: Option<&str>,
) {
    assert_eq!(
        person_name(display, given, surname, common).as_deref(),
        expected
    );
}

#[rstest]
#[case("employee_no", Field::EmployeeNo)]
#[case("Employee-No", Field::EmployeeNo)]
#[case(" name ", Field::Name)]
#[case("email", Field::Email)]
#[case("department", Field::Department)]
#[case("manager", Field::Manager)]
#[case("username", Field::Username)]
fn field_words(#[case] word: &str, #[case] field: Field) {
    assert_eq!(word.parse::<Field>(), Ok(field));
    assert_eq!(field.word().parse::<Field>(), Ok(field));
}

#[test]
fn an_unknown_field_lists_the_words() {
    let message = "phone".parse::<Field>().unwrap_err().to_string();
    for field in Field::ALL {
        assert!(message.contains(field.word()), "{message}");
    }
    assert!(message.starts_with("`phone` is not a field"), "{message}");
}

#[rstest]
#[case("employeeID=employee_no", Ok(("employeeID", Field::EmployeeNo)))]
#[case(" physicalDeliveryOfficeName = department", Ok(("physicalDeliveryOfficeName", Field::Department)))]
#[case("2.5.4.11=department", Ok(("2.5.4.11", Field::Department)))]
#[case("extensionAttribute-1=username", Ok(("extensionAttribute-1", Field::Username)))]
#[case("employeeID", Err(MappingError::NoEquals("employeeID".into())))]
#[case("=name", Err(MappingError::BadAttribute("".into())))]
#[case("1abc=name", Err(MappingError::BadAttribute("1abc".into())))]
#[case("2..5=name", Err(MappingError::BadAttribute("2..5".into())))]
#[case("mail;binary=email", Err(MappingError::BadAttribute("mail;binary".into())))]
#[case("mail=phone", Err(MappingError::UnknownField("phone".into())))]
fn mappings(#[case] text: &str, #[case] expected: Result<(&str, Field), MappingError>) {
    assert_eq!(
        parse_mapping(text),
        expected.map(|(attribute, field)| (attribute.to_string(), field))
    );
}

#[rstest]
#[case(
    "CN=Lars Nyström,OU=Users,DC=kommun,DC=example",
    "cn=lars nyström,ou=users,dc=kommun,dc=example"
)]
#[case(
    "cn=Lars Nyström, ou=Users , dc=kommun,dc=example",
    "cn=lars nyström,ou=users,dc=kommun,dc=example"
)]
#[case("CN=ÅSA WIKSTRÖM,OU=Users", "cn=åsa wikström,ou=users")]
#[case(r"cn=Ek\, Jonas,ou=Users", r"cn=ek\, jonas,ou=users")]
#[case("cn=A+uid=b,ou=Users", "cn=a+uid=b,ou=users")]
fn dns(#[case] dn: &str, #[case] normal: &str) {
    assert_eq!(normalize_dn(dn), normal);
}

fn attributes(pairs: &[(&str, &str)]) -> Attributes {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for (name, value) in pairs {
        map.entry(name.to_string())
            .or_default()
            .push(value.to_string());
    }
    Attributes::new(map)
}

#[test]
fn an_ad_entry_by_default() {
    let entry = attributes(&[
        ("displayName", "Börje Öst"),
        ("givenName", "Börje"),
        ("sn", "Öst"),
        ("employeeID", "4733"),
        ("MAIL", " borje.ost@kommun.example "),
        ("department", "Socialförvaltningen"),
        ("manager", "CN=Ingrid Åkesson,OU=Users,DC=kommun,DC=example"),
        ("sAMAccountName", "borost"),
        ("uid", "borje"),
        ("userAccountControl", "514"),
        ("accountExpires", "134352792000000000"),
        ("whenChanged", "20250314101500.0Z"),
        ("modifyTimestamp", "20240101000000Z"),
    ]);
    let person = person_from("CN=Börje Öst".into(), &entry, &Sources::new(&[]));
    assert_eq!(
        person,
        DirectoryPerson {
            dn: "CN=Börje Öst".into(),
            employee_no: Some("4733".into()),
            name: Some("Börje Öst".into()),
            email: Some("borje.ost@kommun.example".into()),
            department: Some("Socialförvaltningen".into()),
            manager_dn: Some("CN=Ingrid Åkesson,OU=Users,DC=kommun,DC=example".into()),
            manager_employee_no: None,
            username: Some("borost".into()),
            disabled: true,
            expires: Some(utc("2026-09-30T22:00:00Z")),
            changed: Some(utc("2025-03-14T10:15:00Z")),
        }
    );
}

#[test]
fn employee_number_wins_over_employee_id_and_blanks_do_not_count() {
    let entry = attributes(&[
        ("employeeNumber", " "),
        ("employeeID", "4655"),
        ("uid", "karsjo"),
    ]);
    let person = person_from("cn=x".into(), &entry, &Sources::new(&[]));
    assert_eq!(person.employee_no.as_deref(), Some("4655"));
    assert_eq!(person.username.as_deref(), Some("karsjo"));
    assert!(!person.disabled);
    assert_eq!((person.expires, person.changed), (None, None));
    let both = attributes(&[("employeeNumber", "4471"), ("employeeID", "9999")]);
    let person = person_from("cn=x".into(), &both, &Sources::new(&[]));
    assert_eq!(person.employee_no.as_deref(), Some("4471"));
}

#[test]
fn mappings_replace_the_fields_attributes_in_their_order() {
    let sources = Sources::new(&[
        ("employeeID".into(), Field::EmployeeNo),
        ("extensionAttribute1".into(), Field::EmployeeNo),
        ("physicalDeliveryOfficeName".into(), Field::Department),
        ("cn".into(), Field::Name),
    ]);
    let entry = attributes(&[
        ("employeeNumber", "1"),
        ("extensionAttribute1", "4471"),
        ("department", "Gatukontoret"),
        ("physicalDeliveryOfficeName", "Stadshuset"),
        ("displayName", "Maria Olsson"),
        ("cn", "molsson"),
    ]);
    let person = person_from("cn=molsson".into(), &entry, &sources);
    assert_eq!(person.employee_no.as_deref(), Some("4471"));
    assert_eq!(person.department.as_deref(), Some("Stadshuset"));
    assert_eq!(person.name.as_deref(), Some("molsson"));
    // The other fields keep their defaults.
    assert_eq!(
        sources.of(Field::Username),
        ["sAMAccountName".to_string(), "uid".to_string()]
    );
    let asked = sources.attributes();
    for attribute in [
        "employeeID",
        "extensionAttribute1",
        "physicalDeliveryOfficeName",
        "cn",
        "mail",
        "manager",
        "sAMAccountName",
        "uid",
        "userAccountControl",
        "accountExpires",
        "whenChanged",
        "modifyTimestamp",
    ] {
        assert!(
            asked.iter().any(|a| a == attribute),
            "{attribute} in {asked:?}"
        );
    }
    for not_asked in [
        "employeeNumber",
        "department",
        "displayName",
        "givenName",
        "sn",
    ] {
        assert!(
            !asked.iter().any(|a| a == not_asked),
            "{not_asked} in {asked:?}"
        );
    }
}

#[test]
fn each_attribute_is_asked_for_once() {
    let sources = Sources::new(&[("CN".into(), Field::Username)]);
    let asked = sources.attributes();
    let mut lower: Vec<String> = asked.iter().map(|a| a.to_lowercase()).collect();
    lower.sort();
    lower.dedup();
    assert_eq!(lower.len(), asked.len(), "{asked:?}");
}

#[test]
fn no_password_in_debug_output() {
    let mut query = LdapQuery::new("ldap://127.0.0.1:1", "dc=kommun,dc=example");
    query.bind = Some(Bind {
        dn: "cn=handback-sync,ou=Service,dc=kommun,dc=example".into(),
        password: "hemligt-lösenord".into(),
    });
    let debug = format!("{query:?}");
    assert!(!debug.contains("hemligt"), "{debug}");
    assert!(debug.contains("cn=handback-sync"), "{debug}");
}

#[test]
fn errors_say_what_to_do() {
    let cases = [
        (
            DirectoryError::BindRefused {
                url: "ldap://dc1".into(),
                dn: "cn=sync".into(),
                text: String::new(),
            },
            "check --bind and --password-file",
        ),
        (
            DirectoryError::BaseNotFound {
                url: "ldap://dc1".into(),
                base: "ou=Nobody,dc=kommun,dc=example".into(),
                matched: Some("dc=kommun,dc=example".into()),
            },
            "(the nearest entry above it that is: dc=kommun,dc=example): check --base",
        ),
        (
            DirectoryError::Refused {
                url: "ldap://dc1".into(),
                doing: "the search",
                code: 1,
                text: "000004DC: LdapErr: DSID-0C090A5C, comment: In order to perform this \
                       operation a successful bind must be completed on the connection."
                    .into(),
            },
            "(LDAP result 1); bind with --bind and --password-file",
        ),
        (
            DirectoryError::TimedOut {
                url: "ldap://dc1".into(),
                doing: "connecting",
                timeout: Duration::from_secs(30),
            },
            "within 30 s while connecting",
        ),
    ];
    for (error, wanted) in cases {
        let message = error.to_string();
        assert!(message.contains(wanted), "{message}");
    }
}

proptest! {
    #[test]
    fn filetime_never_panics(ticks in any::<i64>()) {
        let _ = filetime_to_utc(ticks);
        let _ = account_expires(&ticks.to_string());
    }

    #[test]
    fn filetime_round_trips(seconds in -11_644_473_600i64..253_402_300_799, ticks in 0i64..10_000_000) {
        let filetime = (seconds + 11_644_473_600) * 10_000_000 + ticks;
        prop_assume!(filetime > 0);
        let time = filetime_to_utc(filetime).expect("in range");
        prop_assert_eq!(time.timestamp(), seconds);
        prop_assert_eq!(i64::from(time.timestamp_subsec_nanos()), ticks * 100);
    }

    #[test]
    fn text_never_panics(value in any::<String>()) {
        let _ = account_expires(&value);
        let _ = uac_disabled(&value);
        let _ = generalized_time(&value);
        let _ = normalize_dn(&value);
        let _ = parse_mapping(&value);
    }
}
