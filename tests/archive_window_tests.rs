//! The viewer's archive mode under Xvfb: a generated archive whose counts per range are known by
//! construction opens on a timeline; a range dragged on it with xdotool changes the map's
//! shading; a region clicked lists its articles, one opens with its overlay; a full-text search
//! filters the counts.

use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use serde_json::Value;

use crate::common::window::*;
use crate::common::{gpu_lock, scratch};

const ARTICLES: u64 = 300;
/// Where the pointer rests: on the status bar (no tooltip over the map).
const PARK: [f64; 2] = [SIZE[0] as f64 - 20.0, SIZE[1] as f64 - 8.0];
/// The articles' dates run from here over `SPAN_DAYS` days.
const SPAN_DAYS: u64 = 180;
/// Articles before this day mention Nakhchivan, from it on Abkhazia.
const SWITCH: &str = "2025-04-01";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn first_day() -> NaiveDate {
    day("2025-01-01")
}

/// Article `i`'s date.
fn date_of(i: u64) -> NaiveDate {
    first_day() + Days::new(i * SPAN_DAYS / ARTICLES)
}

/// Every fifth article mentions a ferry (the full-text search's word).
fn has_ferry(i: u64) -> bool {
    i.is_multiple_of(5)
}

/// An archive of `ARTICLES` articles of our own sentences, each body different (copies would be
/// counted once): those dated before `SWITCH` mention Nakhchivan, the others Abkhazia.
fn write_archive(dir: &Path) -> PathBuf {
    let root = dir.join("news");
    std::fs::create_dir_all(&root).unwrap();
    for i in 0..ARTICLES {
        let d = date_of(i);
        let place = if d < day(SWITCH) {
            "Farmers in Nakhchivan asked for help after a dry spring ruined the early harvest."
        } else {
            "Residents of Abkhazia waited for hours at the river crossing on a busy morning."
        };
        let ferry = if has_ferry(i) {
            " A new ferry timetable was printed for the coming season."
        } else {
            ""
        };
        let text = format!(
            "Dispatch {i} from the region\n{d}\n\n{place}{ferry} This is dispatch number {i} of the year, filed by a local correspondent. The weather service expects mild temperatures on most days.\n"
        );
        std::fs::write(root.join(format!("{i:03}.txt")), text).unwrap();
    }
    root
}

/// How many articles dated from `a` to `b` mention Nakhchivan, by construction.
fn expected(a: NaiveDate, b: NaiveDate, place: &str, ferry_only: bool) -> u64 {
    (0..ARTICLES)
        .filter(|&i| {
            let d = date_of(i);
            let here = if place == "nakhchivan" {
                d < day(SWITCH)
            } else {
                d >= day(SWITCH)
            };
            d >= a && d <= b && here && (!ferry_only || has_ferry(i))
        })
        .count() as u64
}

fn archive(s: &Value) -> &Value {
    &s["archive"]
}

fn count(s: &Value, id: &str) -> u64 {
    archive(s)["counts"][id].as_u64().unwrap_or(0)
}

/// The archive indexed, its timeline laid out, the map at rest.
fn wait_ready(v: &Viewer, park: [f64; 2]) -> (Value, image::RgbaImage) {
    v.park_when(0, park, |s| {
        archive(s)["status"] == "ready" && control(s, "timeline").is_some()
    })
}

/// The x of a day's middle on the timeline (its span is the archive's first to last day).
fn x_of(s: &Value, d: NaiveDate) -> f64 {
    let r = control(s, "timeline").unwrap();
    let first = day(archive(s)["first"].as_str().unwrap());
    let last = day(archive(s)["last"].as_str().unwrap());
    let days = ((last - first).num_days() + 1) as f64;
    r[0] + ((d - first).num_days() as f64 + 0.5) / days * (r[2] - r[0])
}

/// Drags on the timeline from day `a` to day `b`, each step drawn before the next, and
/// returns the settled frame showing the range.
fn drag_range(v: &Viewer, s: &Value, a: NaiveDate, b: NaiveDate) -> (Value, image::RgbaImage) {
    let r = control(s, "timeline").unwrap();
    let y = (r[1] + r[3]) / 2.0;
    let (xa, xb) = (x_of(s, a), x_of(s, b));
    v.hover([xa, y]);
    v.xdotool(&["mousedown", "1"]);
    for t in [0.3, 0.7, 1.0] {
        v.hover([xa + (xb - xa) * t, y]);
    }
    v.click_release();
    let want = [a.to_string(), b.to_string()];
    v.park_when(frame(s), PARK, |s| {
        archive(s)["range"] == serde_json::json!(want)
    })
}

/// Types `query` in the archive's search field and presses Enter; returns the settled frame
/// with the search's counts (and any list) in.
fn search(v: &Viewer, s: &Value, query: &str) -> Value {
    v.hover(centre(control(s, "archive-search").unwrap()));
    v.click();
    v.xdotool(&["windowfocus", "--sync", &v.window]);
    v.xdotool(&["type", "--delay", "15", query]);
    v.xdotool(&["key", "Return"]);
    v.move_to(PARK);
    v.wait_for(frame(s), "the search's counts", |s| {
        archive(s)["search"] == query && archive(s)["list_pending"] == false
    })
    .0
}

/// Lon/lat inside Nakhchivan and inside Abkhazia, away from their labels.
const NAKHCHIVAN: [[f64; 2]; 3] = [[45.2, 39.5], [45.75, 39.05], [45.55, 39.25]];
const ABKHAZIA: [[f64; 2]; 3] = [[40.6, 43.2], [41.3, 42.9], [40.9, 43.05]];

/// Points of `points` whose 7x7 neighbourhood changed between two frames.
fn changed(
    a: (&Value, &image::RgbaImage),
    b: (&Value, &image::RgbaImage),
    points: &[[f64; 2]],
) -> usize {
    points
        .iter()
        .filter(|ll| changed_at(&a, &b, **ll) >= 40)
        .count()
}

#[test]
fn archive_window_dragged_range_changes_the_map() {
    let _gpu = gpu_lock();
    let dir = scratch("archive_window_drag");
    let root = write_archive(&dir);
    let v = Viewer::start("archive_window_drag_run", &[&root]);
    let (s0, _) = wait_ready(&v, PARK);
    let a = archive(&s0);
    assert_eq!(a["total"], ARTICLES, "{a}");
    assert_eq!(a["first"], "2025-01-01");
    assert_eq!(a["range"], Value::Null);
    let (jan, mar) = (first_day(), day("2025-03-31"));
    assert_eq!(
        count(&s0, "nakhchivan"),
        expected(jan, day("2025-12-31"), "nakhchivan", false)
    );
    // Winter: Nakhchivan only.
    let (s1, img1) = drag_range(&v, &s0, jan, mar);
    assert_eq!(
        count(&s1, "nakhchivan"),
        expected(jan, mar, "nakhchivan", false)
    );
    assert_eq!(count(&s1, "abkhazia"), 0);
    assert!(count(&s1, "nakhchivan") > 100);
    // Spring: Abkhazia only.
    let (apr, jun) = (day("2025-04-01"), day("2025-06-20"));
    let (s2, img2) = drag_range(&v, &s1, apr, jun);
    assert_eq!(
        count(&s2, "abkhazia"),
        expected(apr, jun, "abkhazia", false)
    );
    assert_eq!(count(&s2, "nakhchivan"), 0);
    assert_eq!(
        archive(&s2)["in_range"],
        expected(apr, jun, "abkhazia", false)
    );
    // The map's pixels: Nakhchivan shaded in winter, not in spring; Abkhazia the other way.
    let (f1, f2) = ((&s1, &img1), (&s2, &img2));
    assert!(
        changed(f1, f2, &NAKHCHIVAN) >= 2 && changed(f1, f2, &ABKHAZIA) >= 2,
        "the shading did not follow the range (Nakhchivan {}, Abkhazia {} points changed)",
        changed(f1, f2, &NAKHCHIVAN),
        changed(f1, f2, &ABKHAZIA)
    );
    // Nakhchivan's winter shade is the region colour's (red over the base map's green).
    let p = lonlat_to_screen(&cam(&s1), NAKHCHIVAN[0][0], NAKHCHIVAN[0][1]);
    let c = px(&img1, p[0] as i64, p[1] as i64).unwrap();
    assert!(
        c[0] > c[1] + 60,
        "Nakhchivan in winter is {c:?}, not shaded red"
    );
    // A range change is a sum in memory and a style table: well under a frame.
    assert!(
        archive(&s2)["range_ms"].as_f64().unwrap() < 50.0,
        "{}",
        archive(&s2)
    );
}

#[test]
fn archive_window_region_lists_its_articles_and_search_filters() {
    let _gpu = gpu_lock();
    let dir = scratch("archive_window_list");
    let root = write_archive(&dir);
    let v = Viewer::start("archive_window_list_run", &[&root]);
    let park = PARK;
    let (s0, _) = wait_ready(&v, park);
    let (jan, mar) = (first_day(), day("2025-03-31"));
    let (s1, _) = drag_range(&v, &s0, jan, mar);
    let n = expected(jan, mar, "nakhchivan", false);
    // Click Nakhchivan on the map: its articles in the range are listed, newest first.
    let p = lonlat_to_screen(&cam(&s1), NAKHCHIVAN[0][0], NAKHCHIVAN[0][1]);
    v.hover(p);
    v.click();
    v.move_to(park);
    let (s2, _) = v.wait_for(frame(&s1), "the list of Nakhchivan's articles", |s| {
        archive(s)["entity"] == "nakhchivan"
            && archive(s)["list_pending"] == false
            && control(s, "archive-article-0").is_some()
    });
    assert_eq!(archive(&s2)["list"], n.min(200), "{}", archive(&s2));
    // The first is the newest in the range.
    let title = archive(&s2)["list_first"].as_str().unwrap().to_string();
    let i: u64 = title.split(' ').nth(1).unwrap().parse().unwrap();
    assert_eq!(date_of(i), day("2025-03-31"), "{title}");
    // Open it in the article panel, with its overlay.
    v.hover(centre(control(&s2, "archive-article-0").unwrap()));
    v.click();
    v.move_to(park);
    let (s3, _) = v.wait_for(frame(&s2), "the article opened", |s| {
        layer(s, &title).is_some() && control(s, "article-title").is_some() && s["loading"] == 0
    });
    assert!(archive(&s3)["opened"].is_i64());
    // Search: only the ferry articles count.
    let s4 = search(&v, &s3, "ferry");
    let ferry = (0..ARTICLES).filter(|&i| has_ferry(i)).count() as u64;
    let a = archive(&s4);
    assert_eq!(a["total"], ferry, "{a}");
    assert_eq!(
        count(&s4, "nakhchivan"),
        expected(jan, mar, "nakhchivan", true)
    );
    assert_eq!(a["list"], expected(jan, mar, "nakhchivan", true), "{a}");
}

#[test]
fn archive_window_keeps_its_range_and_search_across_a_projection_switch() {
    let _gpu = gpu_lock();
    let dir = scratch("archive_window_reproject");
    let root = write_archive(&dir);
    let v = Viewer::start("archive_window_reproject_run", &[&root]);
    let (s0, _) = wait_ready(&v, PARK);
    let (jan, mar) = (first_day(), day("2025-03-31"));
    let (s1, _) = drag_range(&v, &s0, jan, mar);
    // Search: only the ferry articles count.
    let s2 = search(&v, &s1, "ferry");
    let ferry_winter = expected(jan, mar, "nakhchivan", true);
    assert_eq!(count(&s2, "nakhchivan"), ferry_winter);
    // Another projection makes the counts layer again; the range and the search stay.
    let s3 = choose_projection(&v, &s2, "Web Mercator");
    v.move_to(PARK);
    let want = serde_json::json!([jan.to_string(), mar.to_string()]);
    let (s4, _) = v.wait_for(frame(&s3), "the archive again in Web Mercator", |s| {
        s["projection"] == "mercator"
            && archive(s)["status"] == "ready"
            && archive(s)["search"] == "ferry"
            && s["loading"] == 0
    });
    let a = archive(&s4);
    assert_eq!(a["range"], want, "{a}");
    assert_eq!(count(&s4, "nakhchivan"), ferry_winter, "{a}");
    assert_eq!(count(&s4, "abkhazia"), 0, "{a}");
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}

/// A machine whose frames take this long (ms): a click and the typing after it come in one frame.
const SLOW_FRAME_MS: &str = "500";

#[test]
fn archive_window_search_typed_with_its_click_in_one_slow_frame_is_kept() {
    let _gpu = gpu_lock();
    let dir = scratch("archive_window_slow_typing");
    let root = write_archive(&dir);
    let v = Viewer::start_env(
        "archive_window_slow_typing_run",
        &[&root],
        SIZE,
        &[],
        &[("BORDERLENS_FRAME_DELAY_MS", Path::new(SLOW_FRAME_MS))],
    );
    let (s0, _) = wait_ready(&v, PARK);
    let field = control(&s0, "archive-search").unwrap();
    let c = centre(field);
    v.hover([c[0] - 10.0, c[1]]);
    v.xdotool(&["windowfocus", "--sync", &v.window]);
    // The move starts a frame; the click, the word and the Enter arrive while it is drawn (the
    // three runs take well under a slow frame; `type` takes every argument after it as text).
    v.move_then(c, &["click", "1"]);
    v.xdotool(&["type", "--delay", "5", "ferry"]);
    v.xdotool(&["key", "Return"]);
    v.move_to(PARK);
    let (s1, _) = v.wait_for(frame(&s0), "the search's counts", |s| {
        archive(s)["search"] == "ferry" && archive(s)["list_pending"] == false
    });
    let ferry = (0..ARTICLES).filter(|i| has_ferry(*i)).count() as u64;
    assert_eq!(archive(&s1)["total"], ferry, "{}", archive(&s1));
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}
