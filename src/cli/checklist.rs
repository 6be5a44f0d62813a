//! `handback checklist PERSON` and `handback checklist --leaving-before DATE`: what one
//! person, or everyone leaving in a window, must hand back.

use super::document::{self, DocArgs, DocFormat, Printable};
use super::{Context, date, usage_error};
use anyhow::{Result, bail};
use clap::Args;
use handback::docs::{BatchCriteria, ChecklistBatch, InLang};
use handback::render::{self, html, markdown};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  handback checklist 4471 --lang sv --out maria.html
  handback checklist --leaving-before 2026-06-30 --department Gatukontoret --out juni.html
  handback checklist --leaving-after 2026-06-01 --leaving-before 2026-06-30 --split juni/")]
pub struct ChecklistArgs {
    /// Employee number, e-mail address or full name
    #[arg(required_unless_present_any = ["leaving_before", "leaving_after"])]
    person: Option<String>,
    /// Everyone whose last working day is on or before DATE (inclusive)
    #[arg(long, value_name = "DATE", conflicts_with = "person")]
    leaving_before: Option<String>,
    /// …and on or after DATE (inclusive)
    #[arg(long, value_name = "DATE", conflicts_with = "person")]
    leaving_after: Option<String>,
    /// Only people in this department
    #[arg(long, value_name = "D", conflicts_with = "person")]
    department: Option<String>,
    /// Write one file per person into DIR, named "Department - Family Given - Number.html"
    #[arg(long, value_name = "DIR", conflicts_with_all = ["person", "out"])]
    split: Option<PathBuf>,
    #[command(flatten)]
    doc: DocArgs,
}

pub fn run(ctx: &Context, args: ChecklistArgs) -> Result<()> {
    let lang = ctx.lang();
    if let Some(person) = &args.person {
        let checklist = ctx.open()?.checklist(person)?;
        return document::print(&InLang::new(checklist, lang), &args.doc);
    }
    let criteria = BatchCriteria {
        leaving_from: date(args.leaving_after.as_deref())?,
        leaving_until: date(args.leaving_before.as_deref())?,
        department: args.department.clone(),
    };
    if let (Some(from), Some(until)) = (criteria.leaving_from, criteria.leaving_until)
        && from > until
    {
        return Err(usage_error(
            "checklist",
            format!(
                "--leaving-after {from} is after --leaving-before {until}: no day falls in that window"
            ),
        ));
    }
    let batch = InLang::new(ctx.open()?.checklist_batch(criteria)?, lang);
    match &args.split {
        Some(dir) => split(&batch, dir, args.doc.format),
        None => print_batch(&batch, &args.doc),
    }
}

/// The batch as one document: a cover page, then a page per person.
fn print_batch(batch: &InLang<ChecklistBatch>, args: &DocArgs) -> Result<()> {
    let text = match args.format() {
        DocFormat::Html => html::checklist_batch(batch),
        DocFormat::Md => markdown::checklist_batch(batch),
        DocFormat::Json => render::json(batch)?,
        // For the terminal: each person's checklist as a table, one after the other.
        DocFormat::Table => {
            let mut text = String::new();
            for checklist in &batch.checklists {
                let checklist = InLang::new(checklist.clone(), batch.lang);
                text.push_str(&String::from_utf8_lossy(
                    &checklist.render(DocFormat::Table)?,
                ));
                text.push('\n');
            }
            if batch.checklists.is_empty() {
                text.push_str("Nobody's last working day falls in that window.\n");
            }
            text
        }
        DocFormat::Csv => bail!(
            "a batch of checklists is a document: use --format html, md, json or table \
             (`handback export handouts` lists every open handout as CSV)"
        ),
    };
    args.emit(text, "checklists")
}

/// One file per person, in `dir`, named so a file listing sorts by department and name.
fn split(batch: &InLang<ChecklistBatch>, dir: &Path, format: Option<DocFormat>) -> Result<()> {
    let format = match format {
        None => DocFormat::Html,
        Some(f @ (DocFormat::Html | DocFormat::Md | DocFormat::Json)) => f,
        Some(other) => bail!(
            "--split writes documents: use --format html, md or json (not {})",
            other.extension()
        ),
    };
    std::fs::create_dir_all(dir).map_err(|e| handback::Error::io(dir, e))?;
    let mut taken = HashSet::new();
    for checklist in &batch.checklists {
        let stem = file_stem(
            checklist.person.department.as_deref(),
            &checklist.person.sort_name(),
            checklist.person.employee_no.as_deref(),
        );
        let mut name = format!("{stem}.{}", format.extension());
        let mut n = 2;
        while !taken.insert(name.to_lowercase()) {
            name = format!("{stem} ({n}).{}", format.extension());
            n += 1;
        }
        let path = dir.join(&name);
        let checklist = InLang::new(checklist.clone(), batch.lang);
        document::write_file(&path, &checklist.render(format)?, "checklist")?;
    }
    if batch.checklists.is_empty() {
        super::output::note("nobody's last working day falls in that window: no files written");
    }
    Ok(())
}

/// "Gatukontoret - Olsson Maria - 4471": the parts that are known, made safe as a file name
/// on Linux, macOS and Windows shares (å, ä, ö and spaces stay).
pub fn file_stem(department: Option<&str>, sort_name: &str, employee_no: Option<&str>) -> String {
    let parts: Vec<String> = [department, Some(sort_name), employee_no]
        .into_iter()
        .flatten()
        .map(safe_file_part)
        .filter(|p| !p.is_empty())
        .collect();
    let stem = parts.join(" - ");
    // File systems allow 255 bytes; leave room for " (2).html".
    let mut cut = stem.len().min(200);
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    match stem[..cut].trim() {
        "" => "checklist".to_string(),
        kept => kept.to_string(),
    }
}

/// Replaces path separators, control characters and the characters Windows refuses, and
/// trims dots and spaces at the ends (no hidden files, no `..`).
fn safe_file_part(part: &str) -> String {
    let replaced: String = part
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    replaced
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(['.', ' '])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::file_stem;
    use rstest::rstest;

    #[rstest]
    #[case(
        Some("Gatukontoret"),
        "Olsson Maria",
        Some("4471"),
        "Gatukontoret - Olsson Maria - 4471"
    )]
    #[case(None, "Öberg Åsa", Some("1001"), "Öberg Åsa - 1001")]
    #[case(Some("IT/Drift"), "a\u{7}b", None, "IT_Drift - a_b")]
    #[case(Some(".."), "../etc/passwd", None, "_etc_passwd")]
    #[case(
        Some("x"),
        "<script>alert(1)</script>",
        Some("1"),
        "x - _script_alert(1)__script_ - 1"
    )]
    #[case(None, "...", None, "checklist")]
    #[case(
        Some("Socialförvaltningen"),
        "von Essen-Hällström Marie-Louise",
        Some("1001"),
        "Socialförvaltningen - von Essen-Hällström Marie-Louise - 1001"
    )]
    fn file_names_are_safe(
        #[case] department: Option<&str>,
        #[case] name: &str,
        #[case] number: Option<&str>,
        #[case] expected: &str,
    ) {
        assert_eq!(file_stem(department, name, number), expected);
    }
}
