//! Article dates to ISO days (`YYYY-MM-DD`), so that ranges are string comparisons in SQL.

use chrono::{DateTime, NaiveDate};

/// Day formats seen in article date lines, tried in order after ISO and RFC 2822/3339.
const DAY_FORMATS: &[&str] = &[
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%A, %B %d, %Y",
    "%A %d %B %Y",
];

/// The day of a date line (`2024-03-05`, `2024-03-05T10:00:00Z`, `March 5, 2024`,
/// `Tue, 05 Mar 2024 10:00:00 +0000`, ...), or `None` when it is not a date.
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim().trim_end_matches('.');
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.date_naive());
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.date_naive());
    }
    // An ISO date with a time or zone after it: the day is the first ten characters.
    if let Some(head) = s.get(..10) {
        if let Ok(d) = NaiveDate::parse_from_str(head, "%Y-%m-%d") {
            return Some(d);
        }
    }
    // "March 5, 2024, 14:20" or "5 March 2024 | Baku": drop what follows the year.
    let cut = year_end(s).map_or(s, |e| &s[..e]);
    DAY_FORMATS
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(cut, f).ok())
}

/// The byte offset just after the first 4-digit year (19xx/20xx) in `s`.
fn year_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let w = &b[i..i + 4];
        let starts_word = i == 0 || !b[i - 1].is_ascii_digit();
        let ends_word = b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        (starts_word
            && ends_word
            && w.iter().all(u8::is_ascii_digit)
            && (w.starts_with(b"19") || w.starts_with(b"20")))
        .then_some(i + 4)
    })
}

/// `YYYY-MM-DD`.
pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_common_date_lines() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 5);
        for s in [
            "2024-03-05",
            "2024-03-05T10:00:00Z",
            "2024-03-05 10:00",
            "March 5, 2024",
            "Mar 5, 2024, 14:20",
            "5 March 2024",
            "05.03.2024",
            "Tue, 05 Mar 2024 10:00:00 +0000",
            "Tuesday, March 5, 2024",
        ] {
            assert_eq!(parse_day(s), d, "{s}");
        }
        assert_eq!(parse_day("yesterday"), None);
        assert_eq!(parse_day("2024-13-45"), None);
        assert_eq!(iso(d.unwrap()), "2024-03-05");
    }
}
