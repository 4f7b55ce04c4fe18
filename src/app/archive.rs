//! Archive mode: a folder of more than `MAX_FOLDER_FILES` articles opens as an archive. Its
//! thread (`worker`) indexes it with progress and reads the per-day counts into memory
//! (`counts`); the map shows "where the news was" (regions shaded, borders weighted) for the
//! range picked on the timeline. A range change is a sum over days in memory and a new style
//! table for the counts layer (no tessellation, no query), so the map follows a drag at frame
//! rate. Clicking a region or border lists the range's articles that mention it; clicking one
//! opens it in the article panel with its overlay.

pub mod counts;
pub mod worker;

use std::path::Path;
use std::sync::mpsc::{self, Sender};
use std::time::Instant;

use serde_json::json;

use self::counts::{DayCounts, RangeSum, STACK};
use self::worker::{Event, Request};
use super::files::LoadedLayer;
use super::ui::timeline::{ArchiveAction, ArchiveStatus, ArchiveView};
use super::App;
use crate::archive::figure::{border_width, fill_opacity};
use crate::archive::DayRange;
use crate::article::EntityKind;
use crate::mesh::vertex::FeatureStyle;

/// A timeline longer than this many days shows weeks.
const DAILY_UP_TO: i64 = 180;
/// Entities listed as the range's most mentioned.
const TOP: usize = 12;

/// An open archive: what its thread told us and what the reader picked.
pub struct ArchiveMode {
    pub view: ArchiveView,
    /// The archive's folder.
    root: std::path::PathBuf,
    /// Which opening this is: answers from an archive opened before are dropped.
    generation: u64,
    tx: Sender<Request>,
    all: DayCounts,
    /// The counts of the articles matching the search, when there is one.
    filtered: Option<DayCounts>,
    /// The query sent last (its answer may still be on its way).
    query: String,
    sum: RangeSum,
    /// The counts layer (by uid), its styles as built (colours), and each feature's entity in
    /// the active counts.
    layer: Option<u64>,
    base: Vec<FeatureStyle>,
    feature_entity: Vec<Option<usize>>,
    /// The map selection last seen, so that a click on the map lists its entity once.
    selected_seen: Option<(u64, u32)>,
    /// The list request whose answer is awaited.
    list_request: Option<Request>,
    /// The article layer opened from the list (by uid).
    article: Option<u64>,
    /// How long the last range change took (sum, styles, upload), ms.
    pub range_ms: f64,
}

impl ArchiveMode {
    fn active(&self) -> &DayCounts {
        self.filtered.as_ref().unwrap_or(&self.all)
    }

    fn day_range(&self) -> DayRange {
        match self.view.range {
            Some((a, b)) => DayRange {
                from: Some(a),
                to: Some(b),
            },
            None => DayRange::all(),
        }
    }

    /// The entity's articles in the range (0 when not mentioned).
    fn in_range(&self, id: &str) -> u64 {
        self.active()
            .entity_index(id)
            .and_then(|e| self.sum.per_entity.get(e).copied())
            .unwrap_or(0)
    }

    /// What the frame dump says about archive mode.
    pub fn dump(&self) -> serde_json::Value {
        let v = &self.view;
        let counts: serde_json::Map<String, serde_json::Value> = self
            .active()
            .entities
            .iter()
            .zip(&self.sum.per_entity)
            .filter(|(_, n)| **n > 0)
            .map(|((id, _), n)| (id.clone(), json!(n)))
            .collect();
        json!({
            "status": match &v.status {
                ArchiveStatus::Indexing { .. } => "indexing".to_string(),
                ArchiveStatus::Ready => "ready".into(),
                ArchiveStatus::Failed(e) => format!("failed: {e}"),
            },
            "first": v.span.map(|s| s.0.to_string()),
            "last": v.span.map(|s| s.1.to_string()),
            "bin_days": v.bin_days,
            "bins": v.bins.len(),
            "range": v.range.map(|(a, b)| [a.to_string(), b.to_string()]),
            "in_range": v.in_range,
            "total": v.total,
            "counts": counts,
            "entity": v.entity.as_ref().map(|e| e.0.clone()),
            "list": v.list.len(),
            "list_first": v.list.first().map(|l| l.article.title.clone()),
            "list_pending": v.list_pending,
            "search": v.search.as_ref().map(|s| s.0.clone()),
            "opened": v.opened,
            "range_ms": self.range_ms,
        })
    }
}

/// A folder that is an archive whatever its number of text files: one indexed before, or one
/// holding feeds or JSON Lines (many articles a file), which the viewer opens only as an archive.
pub fn holds_archive(dir: &Path) -> bool {
    if dir.join(crate::archive::INDEX_FILE).is_file() {
        return true;
    }
    let many = |p: &Path| {
        p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "rss" | "atom" | "jsonl" | "ndjson"
            )
        }) && p.is_file()
    };
    std::fs::read_dir(dir)
        .is_ok_and(|entries| entries.filter_map(Result::ok).any(|e| many(&e.path())))
}

/// An entity's name for the panel: the gazetteer's, or for a border id (`ARM-AZE`) its two
/// countries' ("Armenia–Azerbaijan border").
fn name_of(id: &str) -> String {
    let g = crate::article::Gazetteer::embedded();
    if let Some(e) = g.get(id) {
        return e.name.clone();
    }
    match id.split_once('-').map(|(a, b)| (g.get(a), g.get(b))) {
        Some((Some(a), Some(b))) => format!("{}\u{2013}{} border", a.name, b.name),
        _ => id.to_string(),
    }
}

impl App {
    /// Opens `dir` as an archive (in place of one already open): its thread starts indexing.
    pub(super) fn open_archive(&mut self, dir: &Path, files: usize) {
        self.close_archive();
        let (tx, rx) = mpsc::channel();
        let generation = self.archive.as_ref().map_or(0, |a| a.generation) + 1;
        let send = self.post.archive(generation);
        if let Err(e) = worker::spawn(dir.to_path_buf(), self.projection, send, rx) {
            return self.toast(
                format!("{}: cannot start indexing: {e}", dir.display()),
                true,
            );
        }
        let count = if files > 0 {
            format!("{files} files, ")
        } else {
            String::new()
        };
        self.toast(
            format!(
                "{}: {count}opened as an archive (indexing in the background)",
                dir.display()
            ),
            false,
        );
        // Room for the map: the archive panel takes the layers panel's place.
        self.ui.panels.layers_open = false;
        self.archive = Some(ArchiveMode {
            view: ArchiveView {
                name: worker::folder_name(dir),
                status: ArchiveStatus::Indexing { done: 0, total: 0 },
                span: None,
                bin_days: 1,
                bins: Vec::new(),
                stacked: Vec::new(),
                range: None,
                in_range: 0,
                total: 0,
                top: Vec::new(),
                search: None,
                search_error: None,
                entity: None,
                list: Vec::new(),
                list_pending: false,
                list_error: None,
                opened: None,
            },
            generation,
            root: dir.to_path_buf(),
            tx,
            all: DayCounts::default(),
            filtered: None,
            query: String::new(),
            sum: RangeSum::default(),
            layer: None,
            base: Vec::new(),
            feature_entity: Vec::new(),
            selected_seen: self.ui.selected,
            list_request: None,
            article: None,
            range_ms: 0.0,
        });
    }

    /// After a change of projection: the open archive opened again (its index is read, not
    /// annotated again), so that its counts layer is made in the new projection.
    /// The projection changed: the archive is opened again (its counts layer is made in the new
    /// projection), keeping the range picked on the timeline and the search.
    pub(super) fn archive_reprojected(&mut self) {
        let Some((root, range, query)) = self
            .archive
            .as_ref()
            .map(|a| (a.root.clone(), a.view.range, a.query.clone()))
        else {
            return;
        };
        self.open_archive(&root, 0);
        if let Some(a) = &mut self.archive {
            a.view.range = range;
            if !query.is_empty() {
                a.query = query.clone();
                let _ = a.tx.send(Request::Search(query));
            }
        }
    }

    /// Takes the open archive's layers away (its thread ends when its channel closes).
    fn close_archive(&mut self) {
        let Some(a) = &self.archive else { return };
        for uid in [a.layer, a.article].into_iter().flatten() {
            if let Some(i) = self.layers.index_of(uid) {
                self.layers.remove(i);
            }
            if self.ui.article.as_ref().is_some_and(|v| v.0 == uid) {
                self.ui.article = None;
            }
        }
        self.ui.hover = None;
        self.ui.selected = None;
    }

    pub(super) fn on_archive_event(&mut self, generation: u64, e: Event) {
        let Some(a) = self.archive.as_mut().filter(|a| a.generation == generation) else {
            return;
        };
        match e {
            Event::Progress(p) => {
                a.view.status = ArchiveStatus::Indexing {
                    done: p.done,
                    total: p.total,
                }
            }
            Event::Failed(e) => {
                a.view.status = ArchiveStatus::Failed(e.clone());
                self.toast(e, true);
            }
            Event::Ready {
                counts,
                layer,
                report,
                took,
            } => {
                let text = format!(
                    "Indexed {}: {} articles ({} new, {} changed, {} unchanged files, {} skipped) in {:.1} s",
                    a.view.name,
                    counts.total(),
                    report.new,
                    report.changed,
                    report.unchanged,
                    report.skipped.iter().map(|s| s.1).sum::<usize>(),
                    took.as_secs_f64()
                );
                a.view.status = ArchiveStatus::Ready;
                a.view.span = counts.first_day().zip(counts.last_day());
                a.view.bin_days = match a.view.span {
                    Some((f, l)) if (l - f).num_days() > DAILY_UP_TO => 7,
                    _ => 1,
                };
                a.all = counts;
                self.archive_layer(*layer);
                self.toast(text, false);
            }
            Event::Filtered { query, counts } => {
                if query != a.query {
                    return;
                }
                match counts {
                    Ok(c) => {
                        a.view.search = c.as_ref().map(|c| (query, c.total()));
                        a.view.search_error = None;
                        a.filtered = c;
                    }
                    Err(e) => a.view.search_error = Some(e),
                }
                self.archive_counts_changed();
            }
            Event::Listed { request, list } => {
                if a.list_request.as_ref() != Some(&request) {
                    return;
                }
                a.view.list_pending = false;
                match list {
                    Ok(l) => {
                        a.view.list = l;
                        a.view.list_error = None;
                    }
                    Err(e) => a.view.list_error = Some(e),
                }
            }
            Event::Opened { article, layer } => match layer {
                Ok(l) if a.view.opened == Some(article.id) => self.archive_article(*l),
                Ok(_) => {}
                Err(e) => self.toast(e, true),
            },
        }
        self.request_redraw();
    }

    /// The counts layer arrives: on the map, above the base layers.
    fn archive_layer(&mut self, l: LoadedLayer) {
        let base = l.layer.styles.clone();
        let layer = match self.make_layer(l) {
            Ok(layer) => layer,
            Err(e) => return self.toast(e, true),
        };
        let uid = layer.uid;
        self.layers.insert_overlay(layer);
        if let Some(a) = &mut self.archive {
            a.layer = Some(uid);
            a.base = base;
        }
        self.archive_counts_changed();
    }

    /// The active counts changed (indexed, or a search set or cleared): features to entities
    /// again, the timeline's bars, the map, the list.
    fn archive_counts_changed(&mut self) {
        let Some(a) = &mut self.archive else { return };
        let layer = a.layer.and_then(|uid| self.layers.index_of(uid));
        a.feature_entity = layer.map_or_else(Vec::new, |i| {
            let counts = a.filtered.as_ref().unwrap_or(&a.all);
            self.layers.as_slice()[i]
                .data
                .features
                .iter()
                .map(|f| counts.entity_index(f.id.as_deref()?))
                .collect()
        });
        self.archive_bins();
        self.archive_restyle();
        self.archive_request_list();
    }

    /// The timeline's bars over the whole archive's span, stacked by the listed entity, or by
    /// the most mentioned entities when none is listed.
    fn archive_bins(&mut self) {
        let Some(a) = &mut self.archive else { return };
        let counts = a.filtered.as_ref().unwrap_or(&a.all);
        let stacked = match &a.view.entity {
            Some(e) => counts.entity_index(&e.0).into_iter().collect(),
            None => counts.most_mentioned(STACK),
        };
        a.view.stacked = stacked
            .iter()
            .map(|&e| name_of(&counts.entities[e].0))
            .collect();
        a.view.bins = match a.view.span {
            Some((first, last)) => counts.bins(first, last, a.view.bin_days, &stacked),
            None => Vec::new(),
        };
    }

    /// The range's sums, and the counts layer's styles and labels for them.
    fn archive_restyle(&mut self) {
        let started = Instant::now();
        let Some(a) = &mut self.archive else { return };
        let range = a.day_range();
        let counts = a.filtered.as_ref().unwrap_or(&a.all);
        counts.sum_into(range, &mut a.sum);
        a.view.in_range = a.sum.articles;
        a.view.total = counts.total();
        a.view.top = top_entities(counts, &a.sum, TOP)
            .into_iter()
            .map(|(e, n)| {
                let (id, kind) = &counts.entities[e];
                (id.clone(), name_of(id), *kind, n)
            })
            .collect();
        if let Some(e) = &mut a.view.entity {
            e.2 = counts.entity_index(&e.0).map_or(0, |i| a.sum.per_entity[i]);
        }
        let Some(layer) = a.layer.and_then(|uid| self.layers.index_of(uid)) else {
            return;
        };
        let Some(layer) = self.layers.get_mut(layer) else {
            return;
        };
        range_styles(
            counts,
            &a.sum,
            &a.base,
            &a.feature_entity,
            &mut layer.data.styles,
        );
        // Labels read "Name 12" (countries keep the base map's label).
        for (fi, f) in layer.data.features.iter_mut().enumerate() {
            let Some(e) = a.feature_entity.get(fi).copied().flatten() else {
                continue;
            };
            if counts.entities[e].1 != EntityKind::Country {
                let name = f.prop_str("name").unwrap_or("").to_string();
                let title = format!("{name} {}", a.sum.per_entity[e]);
                f.properties.insert("title", json!(title));
                f.style.title = Some(title);
            }
        }
        if let Some(win) = &self.win {
            let (r, q) = (&win.gfx.renderer, &win.gfx.gpu.queue);
            r.update_styles(q, &mut layer.gpu, &layer.data.styles);
            for l in &mut layer.lods {
                r.update_styles(q, &mut l.mesh, &layer.data.styles);
            }
        }
        a.range_ms = started.elapsed().as_secs_f64() * 1000.0;
    }

    /// Asks for the list the panel should show: the entity's articles in the range (those
    /// matching the search), or the search's articles.
    fn archive_request_list(&mut self) {
        let Some(a) = &mut self.archive else { return };
        let entity = a.view.entity.as_ref().map(|e| e.0.clone());
        let search = a.view.search.as_ref().map(|s| s.0.clone());
        if entity.is_none() && search.is_none() {
            a.view.list.clear();
            a.list_request = None;
            a.view.list_pending = false;
            return;
        }
        let request = Request::List {
            entity,
            range: a.day_range(),
            search,
        };
        if a.list_request.as_ref() == Some(&request) {
            return;
        }
        a.view.list_pending = true;
        a.list_request = Some(request.clone());
        let _ = a.tx.send(request);
    }

    pub(super) fn archive_action(&mut self, action: ArchiveAction) {
        let Some(a) = &mut self.archive else { return };
        match action {
            ArchiveAction::Range(r, done) => {
                a.view.range = r;
                self.archive_restyle();
                if done {
                    self.archive_request_list();
                }
            }
            ArchiveAction::Entity(id) => {
                a.view.entity = id.map(|id| {
                    let name = name_of(&id);
                    let n = a.in_range(&id);
                    (id, name, n)
                });
                a.view.list.clear();
                self.archive_bins();
                self.archive_request_list();
            }
            ArchiveAction::Search(q) => {
                a.query = q.clone();
                let _ = a.tx.send(Request::Search(q));
            }
            ArchiveAction::Open(i) => {
                if let Some(l) = a.view.list.get(i) {
                    a.view.opened = Some(l.article.id);
                    let _ = a.tx.send(Request::Open(l.article.clone()));
                }
            }
        }
    }

    /// Each frame: a feature clicked on the map lists its entity's articles.
    pub(super) fn archive_frame(&mut self) {
        let Some(a) = &mut self.archive else { return };
        if a.selected_seen == self.ui.selected || a.view.status != ArchiveStatus::Ready {
            return;
        }
        a.selected_seen = self.ui.selected;
        let Some((uid, f)) = self.ui.selected else {
            return;
        };
        let id = self
            .layers
            .index_of(uid)
            .and_then(|i| self.layers.get(i))
            .and_then(|l| l.data.features.get(f as usize))
            .and_then(|f| f.id.clone().or_else(|| f.prop_str("id").map(str::to_owned)));
        if let Some(id) = id.filter(|id| a.all.entity_index(id).is_some()) {
            self.archive_action(ArchiveAction::Entity(Some(id)));
        }
    }

    /// An article opened from the list takes the place of the one opened before.
    fn archive_article(&mut self, l: LoadedLayer) {
        let layer = match self.make_layer(l) {
            Ok(layer) => layer,
            Err(e) => return self.toast(e, true),
        };
        let uid = layer.uid;
        let old = self.archive.as_mut().and_then(|a| a.article.replace(uid));
        if let Some(i) = old.and_then(|u| self.layers.index_of(u)) {
            self.layers.remove(i);
        }
        let at = self.layers.insert_overlay(layer);
        self.ui.hover = None;
        self.show_article(at);
        self.ui.pending_fit = Some(uid);
        self.refresh_highlight();
    }
}

/// The counts layer's styles for a range's sums: each feature (`feature_entity[i]`, an entity
/// of `counts`) shaded or weighted by its count against the largest of its kind, hidden when
/// the range has none. `base` holds the styles as built (the colours).
pub fn range_styles(
    counts: &DayCounts,
    sum: &RangeSum,
    base: &[FeatureStyle],
    feature_entity: &[Option<usize>],
    styles: &mut [FeatureStyle],
) {
    let mut max = [0u64; 4];
    for (e, n) in sum.per_entity.iter().enumerate() {
        let m = &mut max[counts.entities[e].1 as usize];
        *m = (*m).max(*n);
    }
    for (fi, style) in styles.iter_mut().enumerate() {
        let Some(base) = base.get(fi) else { continue };
        let entity = feature_entity.get(fi).copied().flatten();
        let n = entity.map_or(0, |e| sum.per_entity[e]);
        let kind = entity.map_or(EntityKind::Place, |e| counts.entities[e].1);
        *style = styled(base, kind, n, max[kind as usize]);
    }
}

/// The `k` most mentioned entities of a range (entity index, articles), most first.
pub fn top_entities(counts: &DayCounts, sum: &RangeSum, k: usize) -> Vec<(usize, u64)> {
    let mut top: Vec<(usize, u64)> = sum
        .per_entity
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(e, &n)| (e, n))
        .collect();
    top.sort_by(|x, y| {
        y.1.cmp(&x.1)
            .then_with(|| counts.entities[x.0].0.cmp(&counts.entities[y.0].0))
    });
    top.truncate(k);
    top
}

/// A counts-layer feature's style for `n` articles of at most `max` of its kind (the scales
/// of `archive::figure`); hidden when the range has none.
fn styled(base: &FeatureStyle, kind: EntityKind, n: u64, max: u64) -> FeatureStyle {
    let mut s = *base;
    if n == 0 {
        s.flags |= FeatureStyle::HIDDEN;
        return s;
    }
    s.flags &= !FeatureStyle::HIDDEN;
    match kind {
        EntityKind::Country | EntityKind::Region => s.fill[3] = fill_opacity(kind, n, max),
        EntityKind::Border => s.stroke_width = border_width(n, max),
        EntityKind::Place => {
            let t = n as f32 / max.max(1) as f32;
            s.marker_radius = 4.0 + 5.0 * t.sqrt();
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_json_lines_and_an_index_make_an_archive() {
        let dir = std::env::temp_dir().join(format!("borderlens-holds-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.txt"), "A title\n\nBaku.\n").unwrap();
        std::fs::write(dir.join("notes.xml"), "<notes/>").unwrap();
        assert!(!holds_archive(&dir));
        std::fs::write(dir.join("wire.jsonl"), "{}\n").unwrap();
        assert!(holds_archive(&dir));
        std::fs::remove_file(dir.join("wire.jsonl")).unwrap();
        std::fs::write(dir.join(crate::archive::INDEX_FILE), "").unwrap();
        assert!(holds_archive(&dir));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn styles_follow_counts_and_hide_the_unmentioned() {
        let base = FeatureStyle {
            fill: [1.0, 0.0, 0.0, 0.5],
            stroke: [1.0, 0.0, 0.5, 0.9],
            marker: [0.5, 0.0, 1.0, 1.0],
            stroke_width: 2.0,
            marker_radius: 4.0,
            flags: 0,
            min_scale: 0.0,
        };
        let counts = DayCounts::from_rows(
            [("2025-01-01".to_string(), 4)],
            [
                ("2025-01-01", "nakhchivan", "region", 4),
                ("2025-01-01", "abkhazia", "region", 1),
                ("2025-01-01", "ARM-AZE", "border", 2),
            ]
            .map(|(d, e, k, n)| (d.to_string(), e.to_string(), k.to_string(), n)),
        );
        let sum = counts.sum(DayRange::all());
        let fe: Vec<Option<usize>> = ["nakhchivan", "abkhazia", "ARM-AZE", "baku"]
            .iter()
            .map(|id| counts.entity_index(id))
            .collect();
        let mut styles = vec![base; 4];
        range_styles(&counts, &sum, &[base; 4], &fe, &mut styles);
        assert!(styles[0].fill[3] > styles[1].fill[3]);
        assert_eq!(styles[0].flags & FeatureStyle::HIDDEN, 0);
        assert_eq!(styles[2].stroke_width, border_width(2, 2));
        assert_ne!(styles[3].flags & FeatureStyle::HIDDEN, 0);
        assert_eq!(name_of("ARM-AZE"), "Armenia\u{2013}Azerbaijan border");
        assert_eq!(name_of("nakhchivan"), "Nakhchivan");
        let top = top_entities(&counts, &sum, 2);
        assert_eq!(
            top,
            vec![
                (counts.entity_index("nakhchivan").unwrap(), 4),
                (counts.entity_index("ARM-AZE").unwrap(), 2)
            ]
        );
    }
}
