//! A reference the register has nothing for, with the nearest matches it does have. A front
//! end words it: its `Display` is the domain's sentence, which names no command; the command
//! line adds where to look and how to add what is missing.

use std::fmt;

/// What a person, device or department reference matched nothing of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unknown {
    Person {
        query: String,
        /// "Björn Ek (4471, Gatukontoret)", nearest first.
        nearest: Vec<String>,
    },
    Device {
        query: String,
        /// "5ZKQ9X3 (Dell Latitude 7440)", nearest first.
        nearest: Vec<String>,
        /// A handout can register it in the same step, given its kind.
        registrable: bool,
    },
    /// `history`: neither a device nor a person.
    DeviceOrPerson { query: String, nearest: Vec<String> },
    Department {
        query: String,
        /// Departments spelt close to `query`; when none is, `known` lists some there are
        /// (empty: nobody has a department).
        nearest: Vec<String>,
        known: Vec<String>,
        /// How many more departments there are than `known` shows.
        more: usize,
    },
}

impl Unknown {
    /// The sentence up to where the command line puts its hints.
    pub fn head(&self) -> String {
        match self {
            Unknown::Person { query, .. } => format!(
                "no person matches {query:?}: give an employee number, an e-mail address or a \
                 full name"
            ),
            Unknown::Device {
                query,
                registrable: false,
                ..
            } => format!("no device has the serial number or asset tag {query:?}"),
            Unknown::Device {
                query,
                registrable: true,
                ..
            } => format!(
                "no device has the serial number or asset tag {query:?}; give its kind (and \
                 make and model) to register it in the same step"
            ),
            Unknown::DeviceOrPerson { query, .. } => format!(
                "no device or person matches {query:?}: give a serial number, an asset tag, an \
                 employee number, an e-mail address or a full name"
            ),
            Unknown::Department {
                query,
                nearest,
                known,
                more,
            } => match (nearest.as_slice(), known.as_slice()) {
                ([], []) => {
                    format!("nobody is in the department {query:?}: no one has a department yet")
                }
                ([], known) => {
                    let more = if *more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    };
                    format!(
                        "nobody is in the department {query:?}; the known departments: {}{more}",
                        known.join(", ")
                    )
                }
                (nearest, _) => format!(
                    "nobody is in the department {query:?}; the nearest known departments: {}",
                    nearest.join(", ")
                ),
            },
        }
    }

    /// "; did you mean A, B or C?", or nothing when there is nothing to suggest.
    pub fn did_you_mean(&self) -> String {
        let nearest = match self {
            Unknown::Person { nearest, .. }
            | Unknown::Device { nearest, .. }
            | Unknown::DeviceOrPerson { nearest, .. } => nearest.as_slice(),
            // A department's nearest names are part of its sentence.
            Unknown::Department { .. } => &[],
        };
        match nearest {
            [] => String::new(),
            [one] => format!("; did you mean {one}?"),
            [rest @ .., last] => format!("; did you mean {} or {last}?", rest.join(", ")),
        }
    }
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.head(), self.did_you_mean())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(nearest: &[&str]) -> Unknown {
        Unknown::Person {
            query: "Bjorn".into(),
            nearest: nearest.iter().map(|n| n.to_string()).collect(),
        }
    }

    #[test]
    fn suggestions_read_as_a_question() {
        assert_eq!(person(&[]).did_you_mean(), "");
        assert_eq!(person(&["A"]).did_you_mean(), "; did you mean A?");
        assert_eq!(
            person(&["A", "B", "C"]).did_you_mean(),
            "; did you mean A, B or C?"
        );
    }

    #[test]
    fn the_domain_names_no_command() {
        let department = Unknown::Department {
            query: "Gatukontor".into(),
            nearest: Vec::new(),
            known: vec!["Gatukontoret".into()],
            more: 3,
        };
        for unknown in [person(&["A"]), department] {
            let sentence = unknown.to_string();
            assert!(
                !sentence.contains("handback") && !sentence.contains("--"),
                "{sentence}"
            );
        }
    }
}
