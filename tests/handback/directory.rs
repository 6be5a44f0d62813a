//! The directory reader of `handback sync ldap` against a real OpenLDAP server, shaped like
//! Active Directory (`fixtures/directory/`): every field of the fixture's people, managers
//! resolved inside and outside the base, disabled and expiring accounts, a paged search
//! over more entries than the server returns at once, and each way a read goes wrong.

use crate::ldap_server::{
    BASE, LEDNING, ROOT_DN, ROOT_PASSWORD, SYNC_DN, SYNC_PASSWORD, USERS, free_port, ldap_server,
    ldap_server_with,
};
use chrono::{DateTime, Utc};
use handback::directory::{Bind, DirectoryError, DirectoryPerson, Field, LdapQuery, read_people};
use std::time::{Duration, Instant};

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a test's own time")
        .with_timezone(&Utc)
}

fn bind(dn: &str, password: &str) -> Option<Bind> {
    Some(Bind {
        dn: dn.to_string(),
        password: password.to_string(),
    })
}

fn read(query: &LdapQuery) -> Vec<DirectoryPerson> {
    read_people(query).unwrap_or_else(|e| panic!("read {query:?}: {e}"))
}

fn by_number<'a>(people: &'a [DirectoryPerson], number: &str) -> &'a DirectoryPerson {
    people
        .iter()
        .find(|p| p.employee_no.as_deref() == Some(number))
        .unwrap_or_else(|| panic!("no {number} among {people:#?}"))
}

fn some(text: &str) -> Option<String> {
    Some(text.to_string())
}

#[test]
fn every_field_of_the_fixture_people() {
    let Some(server) = ldap_server("every_field_of_the_fixture_people") else {
        return;
    };
    let people = read(&LdapQuery::new(&server.url, BASE));
    let mut dns: Vec<&str> = people.iter().map(|p| p.dn.as_str()).collect();
    dns.sort();
    // Twelve people; not the service account, the group or the OUs.
    assert_eq!(
        dns,
        [
            "cn=Ahmed Hassan,ou=Users,dc=kommun,dc=example",
            "cn=Annika Lindqvist,ou=Ledning,dc=kommun,dc=example",
            "cn=Börje Öst,ou=Users,dc=kommun,dc=example",
            "cn=Eva Bergström,ou=Users,dc=kommun,dc=example",
            "cn=Ingrid Åkesson,ou=Users,dc=kommun,dc=example",
            "cn=Jonas Ek,ou=Users,dc=kommun,dc=example",
            "cn=Karin Sjöberg,ou=Users,dc=kommun,dc=example",
            "cn=Lars Nyström,ou=Users,dc=kommun,dc=example",
            "cn=Linnea Holm,ou=Users,dc=kommun,dc=example",
            "cn=Maria Olsson,ou=Users,dc=kommun,dc=example",
            "cn=Per Gustafsson,ou=Users,dc=kommun,dc=example",
            "cn=Åsa Wikström,ou=Users,dc=kommun,dc=example",
        ]
    );

    assert_eq!(
        by_number(&people, "4471"),
        &DirectoryPerson {
            dn: "cn=Maria Olsson,ou=Users,dc=kommun,dc=example".into(),
            employee_no: some("4471"),
            name: some("Maria Olsson"),
            email: some("maria.olsson@kommun.example"),
            department: some("Gatukontoret"),
            manager_dn: some("cn=Lars Nyström,ou=Users,dc=kommun,dc=example"),
            manager_employee_no: some("4100"),
            username: some("marols"),
            disabled: false,
            expires: None,
            changed: by_number(&people, "4471").changed,
        }
    );
    // No displayName; the manager's DN in AD's capitals.
    let per = by_number(&people, "4502");
    assert_eq!(per.name, some("Per Gustafsson"));
    assert_eq!(
        per.manager_dn,
        some("CN=Lars Nyström,OU=Users,DC=kommun,DC=example")
    );
    assert_eq!(per.manager_employee_no, some("4100"));
    assert_eq!((per.disabled, per.expires), (false, None));
    // Disabled, with when it changed.
    let borje = by_number(&people, "4733");
    assert!(borje.disabled);
    assert_eq!(borje.changed, Some(utc("2025-03-14T10:15:00Z")));
    assert_eq!(borje.manager_employee_no, some("4300"));
    // employeeID rather than employeeNumber; expires in 2035.
    let karin = by_number(&people, "4655");
    assert_eq!(karin.name, some("Karin Sjöberg"));
    assert_eq!(karin.expires, Some(utc("2035-06-30T22:00:00Z")));
    assert!(!karin.disabled);
    // Expired at the end of 30 September 2026; her manager is gone from the directory.
    let asa = by_number(&people, "4618");
    assert_eq!(asa.expires, Some(utc("2026-09-30T22:00:00Z")));
    assert_eq!(asa.department, some("Fritidsförvaltningen"));
    assert_eq!(
        asa.manager_dn,
        some("cn=Gunnar Ek,ou=Users,dc=kommun,dc=example")
    );
    assert_eq!(asa.manager_employee_no, None);
    // userAccountControl 66048: password never expires, not disabled.
    assert!(!by_number(&people, "4210").disabled);
    assert_eq!(by_number(&people, "4210").name, some("Ahmed Hassan (IT)"));
    // OpenLDAP-style: uid, no department attribute, no AD attributes.
    let linnea = by_number(&people, "4211");
    assert_eq!(linnea.username, some("linhol"));
    assert_eq!(linnea.department, None);
    assert_eq!((linnea.disabled, linnea.expires), (false, None));
    // A consultant without an employee number is returned too.
    let jonas = people
        .iter()
        .find(|p| p.username.as_deref() == Some("ext-jonek"))
        .expect("Jonas Ek");
    assert_eq!(jonas.employee_no, None);
    assert_eq!(jonas.manager_employee_no, some("4200"));
    // The top of the chain.
    assert_eq!(by_number(&people, "4001").manager_dn, None);
    assert_eq!(by_number(&people, "4100").manager_employee_no, some("4001"));
}

#[test]
fn a_manager_outside_the_base_is_read_on_its_own() {
    let Some(server) = ldap_server("a_manager_outside_the_base_is_read_on_its_own") else {
        return;
    };
    let people = read(&LdapQuery::new(&server.url, USERS));
    assert_eq!(people.len(), 11, "{people:#?}");
    assert!(
        people
            .iter()
            .all(|p| p.employee_no.as_deref() != Some("4001"))
    );
    for chief in ["4100", "4200", "4300"] {
        assert_eq!(by_number(&people, chief).manager_employee_no, some("4001"));
    }
    // Annika once, and the departed Gunnar once: one base search each, not one a report.
    assert_eq!(server.searches_of(LEDNING), 0);
    assert_eq!(
        server.searches_of("cn=Annika Lindqvist,ou=Ledning,dc=kommun,dc=example"),
        1
    );
    assert_eq!(
        server.searches_of("cn=Gunnar Ek,ou=Users,dc=kommun,dc=example"),
        1
    );
}

#[test]
fn a_filter_and_mappings() {
    let Some(server) = ldap_server("a_filter_and_mappings") else {
        return;
    };
    let mut query = LdapQuery::new(&server.url, USERS);
    query.filter = Some("(department=Gatukontoret)".into());
    let mut numbers: Vec<_> = read(&query)
        .into_iter()
        .filter_map(|p| p.employee_no)
        .collect();
    numbers.sort();
    assert_eq!(numbers, ["4100", "4471", "4502"]);

    let mut query = LdapQuery::new(&server.url, USERS);
    query.mappings = vec![
        ("employeeID".into(), Field::EmployeeNo),
        ("departmentNumber".into(), Field::Department),
        ("uid".into(), Field::Username),
        ("cn".into(), Field::Name),
    ];
    let people = read(&query);
    let numbered: Vec<_> = people.iter().filter(|p| p.employee_no.is_some()).collect();
    assert_eq!(
        numbered.len(),
        1,
        "only Karin has an employeeID: {numbered:#?}"
    );
    assert_eq!(numbered[0].name, some("Karin Sjöberg"));
    let linnea = people
        .iter()
        .find(|p| p.username.as_deref() == Some("linhol"))
        .expect("Linnea by uid");
    assert_eq!(linnea.department, some("1400"));
    assert_eq!(linnea.name, some("Linnea Holm"));
    // Managers resolve to the mapped number: only Karin has one, and she manages nobody.
    assert!(people.iter().all(|p| p.manager_employee_no.is_none()));
}

/// 1 200 more people under ou=Users, for the paged search.
fn bulk_ldif(count: usize) -> String {
    let mut ldif = String::new();
    for n in 0..count {
        ldif.push_str(&format!(
            "dn: uid=bulk{n:04},ou=Users,dc=kommun,dc=example\n\
             objectClass: inetOrgPerson\nobjectClass: adUser\n\
             uid: bulk{n:04}\ncn: Testperson {n}\ngivenName: Testperson\nsn: Nummer {n}\n\
             employeeNumber: {}\ndepartment: Skolförvaltningen\n\
             manager: cn=Ingrid Åkesson,ou=Users,dc=kommun,dc=example\n\
             userAccountControl: {}\n\n",
            90_000 + n,
            if n % 100 == 0 { 514 } else { 512 }
        ));
    }
    ldif
}

#[test]
fn a_paged_search_reads_past_the_servers_limit() {
    let bulk = bulk_ldif(1_200);
    let Some(server) = ldap_server_with("a_paged_search_reads_past_the_servers_limit", &[&bulk])
    else {
        return;
    };
    // Unpaged, the server stops at 1 000 (as Active Directory does): paging is needed.
    let mut plain = ldap3::LdapConn::new(&server.url).expect("connect");
    plain
        .simple_bind(SYNC_DN, SYNC_PASSWORD)
        .and_then(|r| r.success())
        .expect("bind as the sync account");
    let unpaged = plain
        .search(
            USERS,
            ldap3::Scope::Subtree,
            "(objectClass=inetOrgPerson)",
            vec!["1.1"],
        )
        .expect("an unpaged search");
    assert_eq!(unpaged.1.rc, 4, "sizeLimitExceeded: {:?}", unpaged.1);
    assert_eq!(unpaged.0.len(), 1_000);
    let _ = plain.unbind();

    for (page_size, pages) in [(500, 3), (1_000, 2), (211, 6)] {
        let before = server.searches_of(USERS);
        let mut query = LdapQuery::new(&server.url, USERS);
        query.bind = bind(SYNC_DN, SYNC_PASSWORD);
        query.page_size = page_size;
        let started = Instant::now();
        let people = read(&query);
        let took = started.elapsed();
        assert_eq!(people.len(), 1_211, "page size {page_size}");
        assert_eq!(people.iter().filter(|p| p.disabled).count(), 13);
        let bulk_0042 = by_number(&people, "90042");
        assert_eq!(bulk_0042.name, some("Testperson Nummer 42"));
        assert_eq!(bulk_0042.manager_employee_no, some("4300"));
        let searches = server.searches_of(USERS) - before;
        assert_eq!(
            searches, pages,
            "page size {page_size}: {searches} searches"
        );
        eprintln!("page size {page_size}: 1 211 people in {pages} pages, {took:?}");
    }
    // Pages larger than the server's limit: OpenLDAP refuses them (AD would send smaller).
    let mut query = LdapQuery::new(&server.url, USERS);
    query.bind = bind(SYNC_DN, SYNC_PASSWORD);
    query.page_size = 5_000;
    let error = read_people(&query).expect_err("pages of 5 000");
    assert!(
        matches!(error, DirectoryError::Refused { code: 11, .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().ends_with("ask for smaller pages"),
        "{error}"
    );
}

#[test]
fn binding_with_the_right_password() {
    let Some(server) = ldap_server("binding_with_the_right_password") else {
        return;
    };
    for (dn, password) in [(SYNC_DN, SYNC_PASSWORD), (ROOT_DN, ROOT_PASSWORD)] {
        let mut query = LdapQuery::new(&server.url, USERS);
        query.bind = bind(dn, password);
        assert_eq!(read(&query).len(), 11, "bound as {dn}");
    }
}

#[test]
fn a_wrong_password_is_a_refused_bind_without_the_password() {
    let Some(server) = ldap_server("a_wrong_password_is_a_refused_bind_without_the_password")
    else {
        return;
    };
    let mut query = LdapQuery::new(&server.url, USERS);
    query.bind = bind(SYNC_DN, "Sommar2026!");
    let error = read_people(&query).expect_err("a wrong password");
    assert!(
        matches!(error, DirectoryError::BindRefused { .. }),
        "{error:?}"
    );
    let (message, debug) = (error.to_string(), format!("{error:?}"));
    assert!(
        message.contains(&format!(
            "the directory at {} refused the bind as {SYNC_DN}: invalid credentials",
            server.url
        )),
        "{message}"
    );
    assert!(
        message.contains("check --bind and --password-file"),
        "{message}"
    );
    for text in [&message, &debug, &format!("{query:?}")] {
        assert!(!text.contains("Sommar2026"), "the password in: {text}");
    }
    // An unknown DN is the same refusal (the server does not say which half was wrong).
    query.bind = bind("cn=nobody,dc=kommun,dc=example", "x");
    assert!(matches!(
        read_people(&query),
        Err(DirectoryError::BindRefused { .. })
    ));
    // An empty password is never sent: the server would take it as anonymous.
    query.bind = bind(SYNC_DN, "");
    let error = read_people(&query).expect_err("an empty password");
    assert!(
        matches!(error, DirectoryError::EmptyPassword { .. }),
        "{error:?}"
    );
}

#[test]
fn an_unknown_base_a_bad_filter_and_a_closed_port() {
    let Some(server) = ldap_server("an_unknown_base_a_bad_filter_and_a_closed_port") else {
        return;
    };
    let query = LdapQuery::new(&server.url, "ou=Anställda,dc=kommun,dc=example");
    let error = read_people(&query).expect_err("an unknown base");
    assert!(
        matches!(&error, DirectoryError::BaseNotFound { matched: Some(m), .. } if m == BASE),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        format!(
            "the base ou=Anställda,dc=kommun,dc=example is not in the directory at {} (the \
             nearest entry above it that is: dc=kommun,dc=example): check --base",
            server.url
        )
    );

    let mut query = LdapQuery::new(&server.url, USERS);
    query.filter = Some("(objectClass=person".into());
    let error = read_people(&query).expect_err("a bad filter");
    assert!(
        matches!(error, DirectoryError::BadFilter { .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("(objectClass=person is not"),
        "{error}"
    );

    let closed = format!("ldap://127.0.0.1:{}", free_port());
    let error = read_people(&LdapQuery::new(&closed, USERS)).expect_err("a closed port");
    assert!(matches!(error, DirectoryError::Connect { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.starts_with(&format!("cannot connect to the directory at {closed}: ")),
        "{message}"
    );
    assert!(message.contains("check --url"), "{message}");

    let error = read_people(&LdapQuery::new("http://127.0.0.1", USERS)).expect_err("http");
    assert!(matches!(error, DirectoryError::BadUrl { .. }), "{error:?}");

    let mut query = LdapQuery::new(&server.url, USERS);
    query.page_size = 0;
    assert!(matches!(
        read_people(&query),
        Err(DirectoryError::BadPageSize(0))
    ));
}

#[test]
fn a_silent_server_times_out() {
    // A listener that accepts and never answers: the bind waits for the timeout.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a listener");
    let url = format!(
        "ldap://127.0.0.1:{}",
        listener.local_addr().expect("its address").port()
    );
    let mut query = LdapQuery::new(&url, USERS);
    query.bind = bind(SYNC_DN, SYNC_PASSWORD);
    query.timeout = Duration::from_millis(300);
    let started = Instant::now();
    let error = read_people(&query).expect_err("no answer");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        matches!(
            error,
            DirectoryError::TimedOut {
                doing: "the bind",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.to_string().contains(SYNC_PASSWORD), "{error}");
    drop(listener);
}
