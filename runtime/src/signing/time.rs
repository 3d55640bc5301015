//! The two date formats the signers send, with a tiny proleptic-Gregorian civil-date conversion.
//!
//! Hand-written rather than delegated to `httpdate` for formatting because `httpdate` panics on
//! times before 1970 or after 9999; these functions accept every [`SystemTime`].

use std::cell::Cell;
use std::thread::LocalKey;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SECONDS_PER_DAY: i64 = 86_400;
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A UTC calendar date and time of day, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    /// 0 = Monday … 6 = Sunday.
    weekday: usize,
}

/// Whole seconds since the Unix epoch, rounded towards negative infinity, saturating at the
/// bounds of `i64`.
fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => {
            let before = before.duration();
            let secs = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
            let round_down = i64::from(before.subsec_nanos() > 0);
            (-secs).saturating_sub(round_down)
        }
    }
}

/// The civil date of a day number counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March-based
    let day = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    // `day` and `month` are within the ranges noted above, so the conversions cannot fail.
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// The day number (from 1970-01-01) of a civil date (Howard Hinnant's `days_from_civil`).
/// `month` must be 1–12; callers validate it.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400); // [0, 399]
    let month = i64::from(month);
    let mp = if month > 2 { month - 3 } else { month + 9 }; // [0, 11]
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn to_civil(secs: i64) -> Civil {
    let days = secs.div_euclid(SECONDS_PER_DAY);
    let of_day = secs.rem_euclid(SECONDS_PER_DAY); // [0, 86399]
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday (index 3 with Monday = 0).
    let weekday = usize::try_from((days + 3).rem_euclid(7)).unwrap_or(0);
    let of_day = u32::try_from(of_day).unwrap_or(0);
    Civil {
        year,
        month,
        day,
        hour: of_day / 3_600,
        minute: of_day / 60 % 60,
        second: of_day % 60,
        weekday,
    }
}

/// The `date` header of ROA signature v1: RFC 1123 / IMF-fixdate in GMT with English names,
/// e.g. `Wed, 01 Jan 2025 00:00:00 GMT` (Python's
/// `datetime.utcnow().strftime('%a, %d %b %Y %H:%M:%S GMT')`).
pub fn format_http_date(time: SystemTime) -> String {
    thread_local! {
        static LAST: Cell<Option<(i64, DateText)>> = const { Cell::new(None) };
    }
    same_second(&LAST, time, http_date)
}

fn http_date(c: &Civil) -> DateText {
    let weekday = WEEKDAYS.get(c.weekday).copied().unwrap_or("Mon");
    let month = MONTHS
        .get(usize::try_from(c.month.saturating_sub(1)).unwrap_or(0))
        .copied()
        .unwrap_or("Jan");
    let mut out = DateText::default();
    out.push_str(weekday);
    out.push_str(", ");
    out.push_padded(c.day.into(), 2);
    out.push_str(" ");
    out.push_str(month);
    out.push_str(" ");
    out.push_padded(c.year, 4);
    out.push_str(" ");
    out.push_time_of_day(c);
    out.push_str(" GMT");
    out
}

/// The `x-acs-date` header of ACS3: ISO 8601 in UTC without fractional seconds, e.g.
/// `2025-01-01T00:00:00Z` (Python's `datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")`).
pub fn format_acs_date(time: SystemTime) -> String {
    thread_local! {
        static LAST: Cell<Option<(i64, DateText)>> = const { Cell::new(None) };
    }
    same_second(&LAST, time, acs_date)
}

fn acs_date(c: &Civil) -> DateText {
    let mut out = DateText::default();
    out.push_padded(c.year, 4);
    out.push_str("-");
    out.push_padded(c.month.into(), 2);
    out.push_str("-");
    out.push_padded(c.day.into(), 2);
    out.push_str("T");
    out.push_time_of_day(c);
    out.push_str("Z");
    out
}

/// The date of `time` written by `write`, reusing `last` (this thread's previous date in that
/// format) when it is of the same second: under load, most requests are signed in the same
/// second as the one before.
fn same_second(
    last: &'static LocalKey<Cell<Option<(i64, DateText)>>>,
    time: SystemTime,
    write: fn(&Civil) -> DateText,
) -> String {
    let second = unix_seconds(time);
    let cached = last
        .try_with(Cell::get)
        .ok()
        .flatten()
        .filter(|(cached, _)| *cached == second);
    let text = match cached {
        Some((_, text)) => text,
        None => {
            let text = write(&to_civil(second));
            // Without the thread's storage (while the thread ends) there is just no reuse.
            let _ = last.try_with(|last| last.set(Some((second, text))));
            text
        }
    };
    text.text()
}

/// A date being written into a fixed buffer, copied out once into an exactly sized `String`.
/// Long enough for every `SystemTime` (a year has at most 20 characters with its sign).
#[derive(Clone, Copy)]
struct DateText {
    bytes: [u8; 48],
    len: usize,
}

impl Default for DateText {
    fn default() -> Self {
        Self {
            bytes: [0; 48],
            len: 0,
        }
    }
}

impl DateText {
    /// Appends ASCII text.
    fn push_str(&mut self, text: &str) {
        self.push_ascii(text.as_bytes());
    }

    /// Appends ASCII bytes (the buffer is never full: see the type's comment).
    fn push_ascii(&mut self, bytes: &[u8]) {
        if let Some(slot) = self.bytes.get_mut(self.len..self.len + bytes.len()) {
            slot.copy_from_slice(bytes);
            self.len += bytes.len();
        }
    }

    /// `HH:MM:SS`.
    fn push_time_of_day(&mut self, c: &Civil) {
        self.push_padded(c.hour.into(), 2);
        self.push_str(":");
        self.push_padded(c.minute.into(), 2);
        self.push_str(":");
        self.push_padded(c.second.into(), 2);
    }

    /// `value` in decimal with at least `width` digits, as `format!("{value:0width$}")` writes
    /// it (a minus sign counts towards the width).
    fn push_padded(&mut self, value: i64, width: usize) {
        let mut digits = [b'0'; 24];
        let mut rest = value.unsigned_abs();
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        let sign = usize::from(value < 0);
        // Zero padding sits between the sign and the digits.
        let padded_start = start.min((digits.len() + sign).saturating_sub(width));
        if value < 0 {
            self.push_str("-");
        }
        self.push_ascii(&digits[padded_start..]);
    }

    fn text(self) -> String {
        // Only ASCII was pushed, so this never fails.
        std::str::from_utf8(&self.bytes[..self.len])
            .unwrap_or_default()
            .to_owned()
    }
}

/// Parses an `x-acs-date` value of exactly the form `YYYY-MM-DDTHH:MM:SSZ`.
/// Returns `None` for anything else, including impossible dates such as `2023-02-29`.
pub fn parse_acs_date(value: &str) -> Option<SystemTime> {
    let bytes = value.as_bytes();
    if bytes.len() != 20 {
        return None;
    }
    let separators = [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'Z'),
    ];
    if separators
        .iter()
        .any(|&(at, expected)| bytes.get(at) != Some(&expected))
    {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<u32> {
        let digits = bytes.get(from..to)?;
        digits.iter().try_fold(0u32, |acc, &b| {
            b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
        })
    };
    let year = i64::from(number(0, 4)?);
    let month = number(5, 7)?;
    let day = number(8, 10)?;
    let hour = number(11, 13)?;
    let minute = number(14, 16)?;
    let second = number(17, 19)?;
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let secs = days_from_civil(year, month, day) * SECONDS_PER_DAY
        + i64::from(hour * 3_600 + minute * 60 + second);
    if secs >= 0 {
        UNIX_EPOCH.checked_add(Duration::from_secs(secs.unsigned_abs()))
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs()))
    }
}

/// Parses an RFC 1123 `date` header value (also accepts the obsolete RFC 850 and asctime forms,
/// as HTTP servers must).
pub fn parse_http_date(value: &str) -> Option<SystemTime> {
    httpdate::parse_http_date(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(secs: i64) -> SystemTime {
        if secs >= 0 {
            UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs())
        } else {
            UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
        }
    }

    #[test]
    fn a_repeated_second_reuses_the_text_and_a_new_one_does_not() {
        let second = at(1_735_689_600);
        let later = second + Duration::from_millis(999);
        let next = second + Duration::from_secs(1);
        for _ in 0..2 {
            assert_eq!(format_http_date(second), "Wed, 01 Jan 2025 00:00:00 GMT");
            assert_eq!(format_http_date(later), "Wed, 01 Jan 2025 00:00:00 GMT");
            assert_eq!(format_http_date(next), "Wed, 01 Jan 2025 00:00:01 GMT");
            assert_eq!(format_acs_date(second), "2025-01-01T00:00:00Z");
            assert_eq!(format_acs_date(next), "2025-01-01T00:00:01Z");
            assert_eq!(format_acs_date(at(-1)), "1969-12-31T23:59:59Z");
        }
    }

    #[test]
    fn known_timestamps() {
        // Checked with Python: datetime.fromtimestamp(t, timezone.utc).strftime(...)
        let cases: &[(i64, &str, &str)] = &[
            (0, "Thu, 01 Jan 1970 00:00:00 GMT", "1970-01-01T00:00:00Z"),
            (
                1_735_689_600,
                "Wed, 01 Jan 2025 00:00:00 GMT",
                "2025-01-01T00:00:00Z",
            ),
            (
                1_739_520_550,
                "Fri, 14 Feb 2025 08:09:10 GMT",
                "2025-02-14T08:09:10Z",
            ),
            // Leap days: 2000 (divisible by 400), 2024; the day after in 2100 is 1 March.
            (
                951_782_400,
                "Tue, 29 Feb 2000 00:00:00 GMT",
                "2000-02-29T00:00:00Z",
            ),
            (
                1_709_251_199,
                "Thu, 29 Feb 2024 23:59:59 GMT",
                "2024-02-29T23:59:59Z",
            ),
            (
                1_709_251_200,
                "Fri, 01 Mar 2024 00:00:00 GMT",
                "2024-03-01T00:00:00Z",
            ),
            (
                4_107_542_400,
                "Mon, 01 Mar 2100 00:00:00 GMT",
                "2100-03-01T00:00:00Z",
            ),
            (
                1_735_689_599,
                "Tue, 31 Dec 2024 23:59:59 GMT",
                "2024-12-31T23:59:59Z",
            ),
            (-1, "Wed, 31 Dec 1969 23:59:59 GMT", "1969-12-31T23:59:59Z"),
            (
                -2_208_988_800,
                "Mon, 01 Jan 1900 00:00:00 GMT",
                "1900-01-01T00:00:00Z",
            ),
            (
                253_402_300_799,
                "Fri, 31 Dec 9999 23:59:59 GMT",
                "9999-12-31T23:59:59Z",
            ),
        ];
        for &(secs, http, acs) in cases {
            let time = at(secs);
            assert_eq!(format_http_date(time), http, "{secs}");
            assert_eq!(format_acs_date(time), acs, "{secs}");
            assert_eq!(parse_acs_date(acs), Some(time), "{acs}");
        }
    }

    #[test]
    fn sub_second_precision_is_truncated() {
        let time = at(1_735_689_600) + Duration::from_millis(999);
        assert_eq!(format_acs_date(time), "2025-01-01T00:00:00Z");
        let before_epoch = UNIX_EPOCH - Duration::from_millis(1);
        assert_eq!(format_acs_date(before_epoch), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn extreme_times_do_not_panic() {
        let far = UNIX_EPOCH + Duration::from_secs(u64::MAX / 4);
        let _ = format_http_date(far);
        let _ = format_acs_date(far);
        assert_eq!(
            format_acs_date(at(253_402_300_800)),
            "10000-01-01T00:00:00Z"
        );
    }

    #[test]
    fn rejects_malformed_acs_dates() {
        for bad in [
            "",
            "2025-01-01T00:00:00",
            "2025-01-01 00:00:00Z",
            "2025-13-01T00:00:00Z",
            "2025-00-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2025-04-31T00:00:00Z",
            "2025-01-01T24:00:00Z",
            "2025-01-01T00:60:00Z",
            "2025-01-01T00:00:60Z",
            "2025-01-01T00:00:00.000Z",
            "+025-01-01T00:00:00Z",
            "2025-01-01T00:00:0ÄZ",
        ] {
            assert_eq!(parse_acs_date(bad), None, "{bad}");
        }
        assert!(parse_acs_date("2024-02-29T00:00:00Z").is_some());
        assert!(parse_acs_date("2000-02-29T00:00:00Z").is_some());
    }

    #[test]
    fn civil_round_trip_over_a_wide_range() {
        for days in (-800_000..800_000).step_by(97) {
            let (y, m, d) = civil_from_days(days);
            assert!((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m));
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    proptest! {
        #[test]
        fn http_date_matches_httpdate(secs in 0u64..253_402_300_800) {
            let time = UNIX_EPOCH + Duration::from_secs(secs);
            prop_assert_eq!(format_http_date(time), httpdate::fmt_http_date(time));
            prop_assert_eq!(parse_http_date(&format_http_date(time)), Some(time));
        }

        #[test]
        fn padded_numbers_match_format(value in any::<i64>(), width in 0usize..6) {
            let mut out = DateText::default();
            out.push_padded(value, width);
            prop_assert_eq!(out.text(), format!("{value:0width$}"));
        }

        #[test]
        fn acs_date_round_trips(secs in 0u64..253_402_300_800) {
            let time = UNIX_EPOCH + Duration::from_secs(secs);
            prop_assert_eq!(parse_acs_date(&format_acs_date(time)), Some(time));
        }
    }
}
