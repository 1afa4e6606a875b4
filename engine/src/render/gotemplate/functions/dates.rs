//! Sprig's dates, made deterministic: "now" is always the Unix epoch (1970-01-01T00:00:00Z), so
//! a chart renders the same on every run. A time is carried as its Unix seconds (an int), which
//! `date`, `dateInZone`, `htmlDate`, `unixEpoch`, `dateModify`, `ago` and `toDate` read and
//! write; layouts are Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`). Every zone is
//! taken as UTC.

use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc};

use super::{to_i64, Args, Context, FnError, FnResult};
use crate::render::gotemplate::value::{Kind, Value};

pub(crate) const NAMES: &[&str] = &[
    "now",
    "date",
    "dateInZone",
    "date_in_zone",
    "htmlDate",
    "htmlDateInZone",
    "unixEpoch",
    "dateModify",
    "mustDateModify",
    "ago",
    "toDate",
    "mustToDate",
    "duration",
    "durationRound",
];

pub(crate) fn call(name: &str, args: Args<'_>, _context: &mut Context<'_>) -> FnResult {
    match name {
        "now" => {
            args.exactly(0)?;
            Ok(Value::int(0))
        }
        "date" | "dateInZone" | "date_in_zone" => {
            args.at_least(2)?;
            Ok(Value::string(format_layout(args.str(0)?, &time_of(args.get(1)?))))
        }
        "htmlDate" | "htmlDateInZone" => {
            args.at_least(1)?;
            Ok(Value::string(format_layout("2006-01-02", &time_of(args.get(0)?))))
        }
        "unixEpoch" => {
            args.exactly(1)?;
            Ok(Value::string(time_of(args.get(0)?).timestamp().to_string()))
        }
        "dateModify" | "mustDateModify" => {
            args.exactly(2)?;
            let seconds = parse_duration(args.str(0)?)
                .ok_or_else(|| FnError::Call(format!("time: invalid duration {:?}", args.str(0).unwrap_or(""))))?;
            Ok(Value::int(time_of(args.get(1)?).timestamp().saturating_add(seconds)))
        }
        "ago" => {
            args.exactly(1)?;
            let seconds = 0i64.saturating_sub(time_of(args.get(0)?).timestamp());
            Ok(Value::string(format!("{seconds}s")))
        }
        "toDate" | "mustToDate" => {
            args.exactly(2)?;
            let parsed = parse_layout(args.str(0)?, args.str(1)?);
            match parsed {
                Some(seconds) => Ok(Value::int(seconds)),
                None if name == "mustToDate" => {
                    Err(FnError::Call(format!("parsing time {:?}", args.str(1).unwrap_or(""))))
                }
                None => Ok(Value::int(0)),
            }
        }
        "duration" => {
            args.exactly(1)?;
            Ok(Value::string(format!("{}s", to_i64(args.get(0)?))))
        }
        _ => {
            args.exactly(1)?;
            Ok(Value::string(format!("{}s", to_i64(args.get(0)?))))
        }
    }
}

/// A time argument: Unix seconds, or "now" (the epoch) for anything else, as Sprig does.
fn time_of(value: &Value) -> DateTime<Utc> {
    let seconds = match value.kind {
        Kind::Int(_) | Kind::Float(_) => to_i64(value),
        _ => 0,
    };
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

/// Go's duration syntax (`1h30m`, `-24h`, `90s`) in seconds.
fn parse_duration(text: &str) -> Option<i64> {
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let mut total = 0f64;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number: f64 = rest.get(..number_len)?.parse().ok()?;
        rest = rest.get(number_len..)?;
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let scale = match rest.get(..unit_len)? {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        rest = rest.get(unit_len..)?;
        total += number * scale;
    }
    #[allow(clippy::cast_possible_truncation)]
    let seconds = total as i64;
    Some(if negative { -seconds } else { seconds })
}

/// The chunks of a Go layout, longest first where they overlap.
const CHUNKS: &[&str] = &[
    "January",
    "Monday",
    "2006",
    "Jan",
    "Mon",
    "MST",
    "Z07:00",
    "Z0700",
    "-07:00",
    "-0700",
    "-07",
    "002",
    "01",
    "02",
    "_2",
    "03",
    "04",
    "05",
    "06",
    "15",
    "PM",
    "pm",
    ".000000000",
    ".000000",
    ".000",
    ".999999999",
    ".999999",
    ".999",
    "1",
    "2",
    "3",
    "4",
    "5",
];

/// Formats `time` with Go layout `layout`.
fn format_layout(layout: &str, time: &DateTime<Utc>) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    let month = MONTHS.get(time.month0() as usize).copied().unwrap_or("January");
    let day = DAYS.get(time.weekday().num_days_from_monday() as usize).copied().unwrap_or("Monday");
    let hour12 = match time.hour() % 12 {
        0 => 12,
        h => h,
    };
    let mut out = String::new();
    let mut rest = layout;
    while !rest.is_empty() {
        let Some(chunk) = CHUNKS.iter().find(|chunk| rest.starts_with(**chunk)) else {
            let mut chars = rest.chars();
            if let Some(c) = chars.next() {
                out.push(c);
            }
            rest = chars.as_str();
            continue;
        };
        let text = match *chunk {
            "January" => month.to_owned(),
            "Monday" => day.to_owned(),
            "2006" => format!("{:04}", time.year()),
            "Jan" => month.chars().take(3).collect(),
            "Mon" => day.chars().take(3).collect(),
            "MST" => "UTC".to_owned(),
            "Z07:00" | "Z0700" => "Z".to_owned(),
            "-07:00" => "+00:00".to_owned(),
            "-0700" => "+0000".to_owned(),
            "-07" => "+00".to_owned(),
            "002" => format!("{:03}", time.ordinal()),
            "01" => format!("{:02}", time.month()),
            "02" => format!("{:02}", time.day()),
            "_2" => format!("{:>2}", time.day()),
            "03" => format!("{hour12:02}"),
            "04" => format!("{:02}", time.minute()),
            "05" => format!("{:02}", time.second()),
            "06" => format!("{:02}", time.year() % 100),
            "15" => format!("{:02}", time.hour()),
            "PM" => (if time.hour() >= 12 { "PM" } else { "AM" }).to_owned(),
            "pm" => (if time.hour() >= 12 { "pm" } else { "am" }).to_owned(),
            ".000000000" => ".000000000".to_owned(),
            ".000000" => ".000000".to_owned(),
            ".000" => ".000".to_owned(),
            ".999999999" | ".999999" | ".999" => String::new(),
            "1" => time.month().to_string(),
            "2" => time.day().to_string(),
            "3" => hour12.to_string(),
            "4" => time.minute().to_string(),
            "5" => time.second().to_string(),
            other => other.to_owned(),
        };
        out.push_str(&text);
        rest = rest.get(chunk.len()..).unwrap_or("");
    }
    out
}

/// Parses `text` with a Go layout (the numeric chunks and month names), in Unix seconds.
fn parse_layout(layout: &str, text: &str) -> Option<i64> {
    let (mut year, mut month, mut day, mut hour, mut minute, mut second) = (1i32, 1u32, 1u32, 0u32, 0u32, 0u32);
    let mut rest_layout = layout;
    let mut rest = text;
    let take_number = |rest: &mut &str, max: usize| -> Option<u32> {
        let len = rest.chars().take(max).take_while(char::is_ascii_digit).count();
        let number = rest.get(..len)?.parse().ok()?;
        *rest = rest.get(len..)?;
        Some(number)
    };
    while !rest_layout.is_empty() {
        match CHUNKS.iter().find(|chunk| rest_layout.starts_with(**chunk)) {
            Some(chunk) => {
                match *chunk {
                    "2006" => year = i32::try_from(take_number(&mut rest, 4)?).ok()?,
                    "06" => year = 2000 + i32::try_from(take_number(&mut rest, 2)?).ok()?,
                    "01" | "1" => month = take_number(&mut rest, 2)?,
                    "02" | "2" | "_2" => {
                        rest = rest.trim_start_matches(' ');
                        day = take_number(&mut rest, 2)?;
                    }
                    "15" | "03" | "3" => hour = take_number(&mut rest, 2)?,
                    "04" | "4" => minute = take_number(&mut rest, 2)?,
                    "05" | "5" => second = take_number(&mut rest, 2)?,
                    "Z07:00" | "Z0700" | "MST" if rest.starts_with('Z') => rest = rest.get(1..)?,
                    "Z07:00" | "-07:00" => rest = rest.get(6.min(rest.len())..)?,
                    "Z0700" | "-0700" => rest = rest.get(5.min(rest.len())..)?,
                    "MST" => rest = rest.get(3.min(rest.len())..)?,
                    _ => return None,
                }
                rest_layout = rest_layout.get(chunk.len()..)?;
            }
            None => {
                let mut chars = rest_layout.chars();
                let expected = chars.next()?;
                rest_layout = chars.as_str();
                let mut text_chars = rest.chars();
                if text_chars.next()? != expected {
                    return None;
                }
                rest = text_chars.as_str();
            }
        }
    }
    let date = chrono::NaiveDate::from_ymd_opt(year, month, day)?;
    let time = chrono::NaiveTime::from_hms_opt(hour, minute, second)?;
    Some(NaiveDateTime::new(date, time).and_utc().timestamp())
}
