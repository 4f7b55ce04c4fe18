//! An archive's counts in memory, per day and entity, so that a range dragged on the timeline is
//! a sum over the days in it (no database query per frame): the size grows with days × entities
//! mentioned per day, not with articles.

use std::collections::{BTreeMap, HashMap};

use chrono::{Days, NaiveDate};

use crate::archive::{Counts, DayRange};
use crate::article::EntityKind;

/// Articles per day and per day and entity, dated days in order (a sparse table: each day holds
/// only the entities mentioned that day).
#[derive(Debug, Clone, Default)]
pub struct DayCounts {
    /// The dated days with articles, in order.
    pub days: Vec<NaiveDate>,
    /// Articles of each day (copies of one text once).
    pub articles: Vec<u32>,
    pub undated_articles: u32,
    /// Entity index → (id, kind).
    pub entities: Vec<(String, EntityKind)>,
    /// Day `d`'s entries are `entries[offsets[d]..offsets[d + 1]]`: (entity index, articles).
    offsets: Vec<u32>,
    entries: Vec<(u32, u32)>,
    /// Entries of the undated articles.
    undated: Vec<(u32, u32)>,
}

/// The sums of one range.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RangeSum {
    pub articles: u64,
    pub undated: u64,
    /// Per entity index.
    pub per_entity: Vec<u64>,
}

/// `YYYY-MM-DD`, or `None` for the undated ('' in the index) and anything unreadable.
fn day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

impl DayCounts {
    /// From the index's rows: `(day, articles)` and `(day, entity, kind, articles)`; '' is
    /// the undated day. Rows may come in any order.
    pub fn from_rows(
        day_rows: impl IntoIterator<Item = (String, u64)>,
        entity_rows: impl IntoIterator<Item = (String, String, String, u64)>,
    ) -> DayCounts {
        let mut per_day: BTreeMap<NaiveDate, (u32, Vec<(u32, u32)>)> = BTreeMap::new();
        let mut out = DayCounts::default();
        for (d, n) in day_rows {
            match day(&d) {
                Some(d) => per_day.entry(d).or_default().0 += n as u32,
                None => out.undated_articles += n as u32,
            }
        }
        let mut index: HashMap<String, u32> = HashMap::new();
        for (d, id, kind, n) in entity_rows {
            // GeoNames settlements are counted by `digest`; the map shades the scheme's
            // entities (the settlements' own layer is a thing for later).
            if kind == "settlement" {
                continue;
            }
            let e = *index.entry(id.clone()).or_insert_with(|| {
                out.entities
                    .push((id, crate::archive::query::kind_of(&kind)));
                out.entities.len() as u32 - 1
            });
            match day(&d) {
                Some(d) => per_day.entry(d).or_default().1.push((e, n as u32)),
                None => out.undated.push((e, n as u32)),
            }
        }
        out.offsets.push(0);
        for (d, (n, entries)) in per_day {
            out.days.push(d);
            out.articles.push(n);
            out.entries.extend(entries);
            out.offsets.push(out.entries.len() as u32);
        }
        out
    }

    pub fn first_day(&self) -> Option<NaiveDate> {
        self.days.first().copied()
    }

    pub fn last_day(&self) -> Option<NaiveDate> {
        self.days.last().copied()
    }

    /// All articles, dated or not.
    pub fn total(&self) -> u64 {
        self.articles.iter().map(|&n| n as u64).sum::<u64>() + self.undated_articles as u64
    }

    pub fn entity_index(&self, id: &str) -> Option<usize> {
        self.entities.iter().position(|(e, _)| e == id)
    }

    /// Indices of the days from `from` to `to`, both included.
    fn day_span(&self, from: NaiveDate, to: NaiveDate) -> std::ops::Range<usize> {
        let a = self.days.partition_point(|d| *d < from);
        let b = self.days.partition_point(|d| *d <= to);
        a..b.max(a)
    }

    /// Sums for `range` (both ends open: every article, the undated too) into `out`, whose
    /// buffer is reused from one range to the next.
    pub fn sum_into(&self, range: DayRange, out: &mut RangeSum) {
        out.per_entity.clear();
        out.per_entity.resize(self.entities.len(), 0);
        out.articles = 0;
        out.undated = 0;
        let all = range.from.is_none() && range.to.is_none();
        let from = range.from.unwrap_or(NaiveDate::MIN);
        let to = range.to.unwrap_or(NaiveDate::MAX);
        let span = self.day_span(from, to);
        out.articles = self.articles[span.clone()].iter().map(|&n| n as u64).sum();
        let (lo, hi) = (self.offsets[span.start], self.offsets[span.end]);
        for &(e, n) in &self.entries[lo as usize..hi as usize] {
            out.per_entity[e as usize] += n as u64;
        }
        if all {
            out.undated = self.undated_articles as u64;
            out.articles += out.undated;
            for &(e, n) in &self.undated {
                out.per_entity[e as usize] += n as u64;
            }
        }
    }

    pub fn sum(&self, range: DayRange) -> RangeSum {
        let mut out = RangeSum::default();
        self.sum_into(range, &mut out);
        out
    }

    /// The range's sums as the archive library's [`Counts`] (for its legend and layer code).
    pub fn counts(&self, range: DayRange, sum: &RangeSum) -> Counts {
        Counts {
            range,
            articles: sum.articles,
            undated: sum.undated,
            copies: 0,
            settlements: Default::default(),
            entities: sum
                .per_entity
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(|(e, &n)| (self.entities[e].0.clone(), (self.entities[e].1, n)))
                .collect(),
        }
    }

    /// Articles per bin of `bin_days` days from `first` to `last` (the last bin may be
    /// shorter), and the articles of each of `stacked` (at most [`STACK`] entities) per bin.
    /// Days outside are left out.
    pub fn bins(
        &self,
        first: NaiveDate,
        last: NaiveDate,
        bin_days: u32,
        stacked: &[usize],
    ) -> Vec<Bin> {
        if last < first {
            return Vec::new();
        }
        let bin_days = bin_days.max(1);
        let n = ((last - first).num_days() as u32 / bin_days + 1) as usize;
        let mut bins: Vec<Bin> = (0..n)
            .map(|i| Bin {
                start: first + Days::new(i as u64 * bin_days as u64),
                articles: 0,
                stack: [0; STACK],
            })
            .collect();
        for (i, d) in self.days.iter().enumerate() {
            if *d < first || *d > last {
                continue;
            }
            let b = ((*d - first).num_days() as u32 / bin_days) as usize;
            bins[b].articles += self.articles[i];
            let (lo, hi) = (self.offsets[i] as usize, self.offsets[i + 1] as usize);
            for &(e, k) in &self.entries[lo..hi] {
                if let Some(j) = stacked.iter().take(STACK).position(|&s| s == e as usize) {
                    bins[b].stack[j] += k;
                }
            }
        }
        bins
    }

    /// The `k` entities mentioned by the most articles over all days, most first.
    pub fn most_mentioned(&self, k: usize) -> Vec<usize> {
        let mut total = vec![0u64; self.entities.len()];
        for &(e, n) in self.entries.iter().chain(&self.undated) {
            total[e as usize] += n as u64;
        }
        let mut order: Vec<usize> = (0..total.len()).filter(|&e| total[e] > 0).collect();
        order.sort_by(|&a, &b| total[b].cmp(&total[a]).then(a.cmp(&b)));
        order.truncate(k);
        order
    }
}

/// Entities a timeline bar is stacked by.
pub const STACK: usize = 3;

/// One bar of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bin {
    pub start: NaiveDate,
    pub articles: u32,
    /// The articles of each stacked entity in it (an article may mention several).
    pub stack: [u32; STACK],
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        day(s).unwrap()
    }

    fn sample() -> DayCounts {
        let days = [
            ("2025-01-01", 3),
            ("2025-01-05", 2),
            ("", 1),
            ("2025-02-01", 4),
        ];
        let rows = [
            ("2025-01-05", "ARM", "country", 2),
            ("2025-01-01", "ARM", "country", 1),
            ("2025-01-01", "ARM-AZE", "border", 3),
            ("", "ARM", "country", 1),
            ("2025-02-01", "baku", "place", 4),
        ];
        DayCounts::from_rows(
            days.map(|(a, n)| (a.to_string(), n)),
            rows.map(|(a, b, c, n)| (a.into(), b.into(), c.into(), n)),
        )
    }

    #[test]
    fn ranges_sum_their_days() {
        let c = sample();
        assert_eq!(c.total(), 10);
        let arm = c.entity_index("ARM").unwrap();
        let all = c.sum(DayRange::all());
        assert_eq!((all.articles, all.undated, all.per_entity[arm]), (10, 1, 4));
        let jan = c.sum(DayRange {
            from: Some(d("2025-01-02")),
            to: Some(d("2025-01-31")),
        });
        assert_eq!((jan.articles, jan.per_entity[arm]), (2, 2));
        let counts = c.counts(DayRange::all(), &all);
        assert_eq!(counts.entities["ARM-AZE"], (EntityKind::Border, 3));
        let none = c.sum(DayRange {
            from: Some(d("2025-03-01")),
            to: Some(d("2025-02-01")),
        });
        assert_eq!(none.articles, 0);
    }

    #[test]
    fn bins_cover_every_day_once() {
        let c = sample();
        let arm = c.entity_index("ARM").unwrap();
        let border = c.entity_index("ARM-AZE").unwrap();
        let (a, z) = (d("2025-01-01"), d("2025-02-01"));
        let days = c.bins(a, z, 1, &[arm]);
        assert_eq!(days.len(), 32);
        assert_eq!(days.iter().map(|b| b.articles).sum::<u32>(), 9);
        let weeks = c.bins(a, z, 7, &[border, arm]);
        assert_eq!(weeks.len(), 5);
        assert_eq!((weeks[0].articles, weeks[0].stack), (5, [3, 3, 0]));
        assert_eq!(
            c.most_mentioned(2),
            vec![arm, c.entity_index("baku").unwrap()]
        );
        assert_eq!(weeks[4].start, d("2025-01-29"));
    }
}
