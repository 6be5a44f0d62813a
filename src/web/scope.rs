//! What a caller may see: everything, except for a manager, who sees the people of their
//! departments and the devices those people hold. What they may not see is "not found",
//! exactly as what does not exist.

use super::auth::Caller;
use handback::domain::Register;
use handback::model::{DeviceDetail, Hit, HitKind, Person};

pub fn sees_person(caller: &Caller, person: &Person) -> bool {
    !caller.confined()
        || caller
            .principal
            .sees_department(person.department.as_deref())
}

pub fn sees_device(caller: &Caller, detail: &DeviceDetail) -> bool {
    !caller.confined()
        || detail
            .holder
            .as_ref()
            .is_some_and(|holder| sees_person(caller, holder))
}

/// Whether the caller may see the person `who` names; an unknown reference is an error.
pub fn person_visible(register: &Register, caller: &Caller, who: &str) -> handback::Result<bool> {
    if !caller.confined() {
        return Ok(true);
    }
    Ok(sees_person(caller, &register.holdings(who)?.person))
}

/// Whether the caller may see the device `serial` names; an unknown one is an error.
pub fn device_visible(
    register: &Register,
    caller: &Caller,
    serial: &str,
) -> handback::Result<bool> {
    if !caller.confined() {
        return Ok(true);
    }
    Ok(sees_device(caller, &register.device_detail(serial)?))
}

/// The search hits the caller may see.
pub fn visible_hits(register: &Register, caller: &Caller, hits: Vec<Hit>) -> Vec<Hit> {
    if !caller.confined() {
        return hits;
    }
    hits.into_iter()
        .filter(|hit| {
            match hit.kind {
                HitKind::Person => person_visible(register, caller, &hit.id),
                HitKind::Device => device_visible(register, caller, &hit.id),
            }
            .unwrap_or(false)
        })
        .collect()
}

/// The department a report is for: the one asked for when it is theirs,
/// else their only one. `Err` when they asked for another's; `Ok(None)` for the whole
/// register (callers who are not confined, asking for no department).
pub fn report_department(caller: &Caller, asked: Option<String>) -> Result<Option<String>, ()> {
    let asked = asked.filter(|d| !d.trim().is_empty());
    if !caller.confined() {
        return Ok(asked);
    }
    match asked {
        Some(department) if caller.principal.sees_department(Some(&department)) => {
            Ok(Some(department))
        }
        Some(_) => Err(()),
        None => Ok(caller.principal.departments.first().cloned()),
    }
}
