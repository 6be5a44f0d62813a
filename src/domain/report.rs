//! The internal-control report: how the people who left in a period did, what is still
//! outstanding, what went missing, where returned devices went, what waits in stock, and
//! returns on time and late by month. A handful of aggregate queries (`store::followup`);
//! nothing here loops over the register.

use super::Register;
use crate::docs::{Departures, LateReturn, MonthlyReturns, OutstandingRow, Report};
use crate::error::Result;
use crate::refusal::Refusal;
use crate::store::Transaction;
use chrono::{Datelike, Days, Months, NaiveDate};

/// The period and scope of a report.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// First day of the period (inclusive).
    pub from: NaiveDate,
    /// Last day of the period (inclusive).
    pub to: NaiveDate,
    pub department: Option<String>,
    /// The default period: neither end was asked for.
    pub default_period: bool,
}

impl ReportRequest {
    /// The default period: the twelve calendar months up to `today`, the current month
    /// included (from the first day of the month eleven months back, to `today`).
    pub fn last_twelve_months(today: NaiveDate, department: Option<String>) -> ReportRequest {
        let month_start = today.with_day(1).unwrap_or(today);
        ReportRequest {
            from: month_start
                .checked_sub_months(Months::new(11))
                .unwrap_or(month_start),
            to: today,
            department,
            default_period: false,
        }
    }

    /// The default period: the twelve whole calendar months before the one `today` is in,
    /// so a report run on 1 December covers December of the year before to November.
    pub fn twelve_whole_months(today: NaiveDate, department: Option<String>) -> ReportRequest {
        let month_start = today.with_day(1).unwrap_or(today);
        ReportRequest {
            from: month_start
                .checked_sub_months(Months::new(12))
                .unwrap_or(month_start),
            to: month_start.pred_opt().unwrap_or(month_start),
            department,
            default_period: true,
        }
    }

    /// The period a front end was asked for: with neither end, the twelve whole months
    /// before the current one; otherwise to `to` (today when not given), from `from` (the
    /// first day of the month eleven months before `to` when not given). A period that ends
    /// before it starts is refused by [`Register::report`].
    pub fn period(
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        today: NaiveDate,
        department: Option<String>,
    ) -> ReportRequest {
        if from.is_none() && to.is_none() {
            return ReportRequest::twelve_whole_months(today, department);
        }
        let mut request = ReportRequest::last_twelve_months(to.unwrap_or(today), department);
        if let Some(from) = from {
            request.from = from;
        }
        request
    }
}

impl Register {
    pub fn report(&self, request: &ReportRequest) -> Result<Report> {
        // One snapshot: figures that add up even while technicians work.
        self.read(|tx| self.report_in(tx, request))
    }

    fn report_in(&self, conn: &dyn Transaction, request: &ReportRequest) -> Result<Report> {
        if request.from > request.to {
            return Err(Refusal::PeriodReversed {
                from: request.from,
                to: request.to,
            }
            .into());
        }
        let department = request.department.as_deref();
        super::ensure_department_known(conn, department)?;
        let (start, end) = self.zone().days(request.from, request.to)?;

        let departures = self.departures(conn, request, department)?;
        let outstanding = self.outstanding(conn, request.to, department)?;
        let monthly = conn
            .followup()
            .monthly_returns((start, end), department, self.zone())?;
        Ok(Report {
            header: self.header_in(conn)?,
            from: request.from,
            to: request.to,
            department: request.department.clone(),
            default_period: request.default_period,
            departures,
            outstanding,
            missing: conn.followup().missing(
                department,
                (Some(start), Some(end)),
                None,
                self.zone(),
            )?,
            routes: conn.followup().routes(start, end, department)?,
            in_stock: conn.followup().stock_by_kind()?,
            monthly: if monthly.is_empty() {
                Vec::new()
            } else {
                every_month(request.from, request.to, &monthly)
            },
        })
    }
}

impl Register {
    /// Who left in the period, and how their equipment came back.
    fn departures(
        &self,
        conn: &dyn Transaction,
        request: &ReportRequest,
        department: Option<&str>,
    ) -> Result<Departures> {
        let mut departures = Departures::default();
        let left = conn
            .followup()
            .departures(request.from, request.to, department)?;
        for departure in left {
            departures.left += 1;
            let Some(last_day) = departure.person.end_date else {
                continue;
            };
            if departure.still_held > 0 {
                continue;
            }
            match departure.last_return.map(|at| self.zone().date_of(at)) {
                Some(returned) if returned > last_day => departures.late.push(LateReturn {
                    person: departure.person.label(),
                    last_working_day: last_day,
                    returned_all_on: returned,
                    days_late: days_between(last_day, returned),
                }),
                _ => departures.returned_on_time += 1,
            }
        }
        Ok(departures)
    }

    /// What people whose last working day is on or before `to` hold now, counted in days up
    /// to the day after the period. A period that runs to today leaves out those leaving
    /// today, who still have the day to bring things back.
    fn outstanding(
        &self,
        conn: &dyn Transaction,
        to: NaiveDate,
        department: Option<&str>,
    ) -> Result<Vec<OutstandingRow>> {
        let today = self.today();
        let as_of = to
            .checked_add_days(Days::new(1))
            .map_or(today, |after| after.min(today));
        Ok(self
            .overdue_people(conn, as_of, department, None)?
            .into_iter()
            .flat_map(|p| {
                let label = p.person.label();
                p.items.into_iter().map(move |item| OutstandingRow {
                    person: label.clone(),
                    serial: item.serial,
                    asset_tag: item.asset_tag,
                    kind: item.kind,
                    make: item.make,
                    model: item.model,
                    note: item.note,
                    handed_out_on: item.handed_out_on,
                    last_working_day: p.last_working_day,
                    days_overdue: p.days_overdue,
                })
            })
            .collect())
    }
}

fn days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    u32::try_from((to - from).num_days()).unwrap_or(0)
}

/// One entry per calendar month of the period, oldest first, with the counted months filled
/// in and the rest zero, so a chart's gaps are months without returns.
fn every_month(
    from: NaiveDate,
    to: NaiveDate,
    counted: &[(String, u32, u32)],
) -> Vec<MonthlyReturns> {
    let mut months = Vec::new();
    let mut month = from.with_day(1).unwrap_or(from);
    while month <= to {
        let label = month.format("%Y-%m").to_string();
        let (on_time, late) = counted
            .iter()
            .find(|(m, _, _)| *m == label)
            .map_or((0, 0), |(_, on_time, late)| (*on_time, *late));
        months.push(MonthlyReturns {
            year: month.year(),
            month: month.month(),
            on_time,
            late,
        });
        match month.checked_add_months(Months::new(1)) {
            Some(next) => month = next,
            None => break,
        }
    }
    months
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// With --to only, the period still runs from the first day of the month eleven months
    /// before it.
    #[test]
    fn a_period_to_a_day_starts_eleven_months_before_its_month() {
        let request = ReportRequest::period(None, Some(day(2026, 5, 20)), day(2026, 6, 1), None);
        assert_eq!(
            (request.from, request.to, request.default_period),
            (day(2025, 6, 1), day(2026, 5, 20), false)
        );
    }

    /// Run on 1 December every year, the report covers last December to November: the
    /// twelve whole months before the current one.
    #[rstest::rstest]
    #[case(day(2026, 12, 1), day(2025, 12, 1), day(2026, 11, 30))]
    #[case(day(2026, 12, 31), day(2025, 12, 1), day(2026, 11, 30))]
    #[case(day(2026, 1, 15), day(2025, 1, 1), day(2025, 12, 31))]
    #[case(day(2024, 3, 1), day(2023, 3, 1), day(2024, 2, 29))]
    fn the_default_period_is_the_twelve_whole_months_before_this_one(
        #[case] today: NaiveDate,
        #[case] from: NaiveDate,
        #[case] to: NaiveDate,
    ) {
        let request = ReportRequest::period(None, None, today, None);
        assert_eq!((request.from, request.to), (from, to));
        assert!(request.default_period);
    }

    #[test]
    fn months_without_returns_are_zero() {
        let months = every_month(
            day(2025, 11, 15),
            day(2026, 2, 3),
            &[("2025-12".into(), 2, 1)],
        );
        let labels: Vec<String> = months.iter().map(MonthlyReturns::label).collect();
        assert_eq!(labels, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!((months[1].on_time, months[1].late), (2, 1));
        assert_eq!((months[0].on_time, months[0].late), (0, 0));
    }
}
