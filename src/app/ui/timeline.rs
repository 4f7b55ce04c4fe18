//! Archive mode's panels: the timeline along the bottom (articles per day or week; drag to
//! select a range, the map follows at frame rate) and the archive panel on the left (indexing
//! progress, full-text search, the range's most mentioned entities, and the articles that
//! mention the entity clicked on the map, each with its sentence).

use chrono::{Days, NaiveDate};
use egui::{Color32, RichText, Sense, Stroke};

use super::{Action, Output};
use crate::app::archive::counts::Bin;
use crate::archive::{Listed, LIST_LIMIT};
use crate::article::EntityKind;

/// Height of the timeline panel, points.
pub const TIMELINE_HEIGHT: f32 = 104.0;
/// Width of the archive panel, points.
const ARCHIVE_WIDTH: f32 = 300.0;
/// Rows of the list that get a named control (tests click them).
const NAMED_ROWS: usize = 5;

/// Where indexing is.
#[derive(Debug, Clone, PartialEq)]
pub enum ArchiveStatus {
    Indexing { done: usize, total: usize },
    Ready,
    Failed(String),
}

/// What archive mode's panels show.
#[derive(Debug, Clone)]
pub struct ArchiveView {
    /// The folder's name.
    pub name: String,
    pub status: ArchiveStatus,
    /// The timeline's span: the first and last dated day of the archive.
    pub span: Option<(NaiveDate, NaiveDate)>,
    /// Days per bar (1, or 7 when the span is long).
    pub bin_days: u32,
    pub bins: Vec<Bin>,
    /// The names of the entities the bars are stacked by (their shares of each bar).
    pub stacked: Vec<String>,
    /// The selected range (`None`: all dates, the undated too).
    pub range: Option<(NaiveDate, NaiveDate)>,
    /// Articles in the range (of those matching the search, when there is one).
    pub in_range: u64,
    /// Articles in the archive (idem).
    pub total: u64,
    /// The range's most mentioned entities: (id, name, kind, articles).
    pub top: Vec<(String, String, EntityKind, u64)>,
    /// The full-text filter and how many articles match it.
    pub search: Option<(String, u64)>,
    pub search_error: Option<String>,
    /// The entity whose articles are listed: (id, name, articles in the range).
    pub entity: Option<(String, String, u64)>,
    pub list: Vec<Listed>,
    /// A list is being fetched.
    pub list_pending: bool,
    pub list_error: Option<String>,
    /// The article shown in the article panel (index id).
    pub opened: Option<i64>,
}

/// What archive mode's panels ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum ArchiveAction {
    /// A new range (`None`: all dates); `done` once the drag is released.
    Range(Option<(NaiveDate, NaiveDate)>, bool),
    /// List this entity's articles (`None`: no entity).
    Entity(Option<String>),
    /// Filter by a full-text query ("" clears).
    Search(String),
    /// Open the listed article at this index.
    Open(usize),
}

/// The colours of the stacked entities on the timeline (Dark2, colour-blind safe).
const STACK_COLOURS: [Color32; 3] = [
    Color32::from_rgb(217, 95, 2),
    Color32::from_rgb(27, 158, 119),
    Color32::from_rgb(117, 112, 179),
];

fn kind_colour(kind: EntityKind) -> Color32 {
    let c = crate::map::style::Rgb::parse(crate::map::entities::kind_colour(kind))
        .unwrap_or(crate::map::style::Rgb(90, 90, 90));
    Color32::from_rgb(c.0, c.1, c.2)
}

/// The timeline along the bottom (above the status bar).
pub fn timeline(ui: &mut egui::Ui, v: &ArchiveView, out: &mut Output) {
    let panel = egui::Panel::bottom("timeline")
        .exact_size(TIMELINE_HEIGHT)
        .resizable(false)
        .show(ui, |ui| {
            let Some((first, last)) = v.span.filter(|_| v.status == ArchiveStatus::Ready) else {
                status_line(ui, v);
                return;
            };
            ui.horizontal(|ui| {
                let per = if v.bin_days == 1 { "day" } else { "week" };
                ui.label(RichText::new(format!("Articles per {per}")).strong());
                ui.separator();
                let range = match v.range {
                    Some((a, b)) => format!("{a} – {b}"),
                    None => "all dates".into(),
                };
                let matching = v
                    .search
                    .as_ref()
                    .map_or(String::new(), |(q, _)| format!(" matching “{q}”"));
                ui.label(format!("{range}: {} articles{matching}", v.in_range));
                if v.range.is_some() {
                    let all = ui.small_button("All dates");
                    out.controls.push(("timeline-all".into(), all.rect));
                    if all.clicked() {
                        out.actions
                            .push(Action::Archive(ArchiveAction::Range(None, true)));
                    }
                } else {
                    ui.label(RichText::new("drag on the bars to pick a range").weak());
                }
                ui.separator();
                for (name, c) in v.stacked.iter().zip(STACK_COLOURS) {
                    let (r, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), Sense::hover());
                    ui.painter().rect_filled(r, 2.0, c);
                    ui.label(RichText::new(name).small());
                }
            });
            bars(ui, v, first, last, out);
        });
    out.controls
        .push(("timeline-panel".into(), panel.response.rect));
}

/// Indexing progress (or its failure) where the timeline will be.
fn status_line(ui: &mut egui::Ui, v: &ArchiveView) {
    ui.add_space(8.0);
    match &v.status {
        ArchiveStatus::Indexing { done, total } => {
            let f = if *total == 0 {
                0.0
            } else {
                *done as f32 / *total as f32
            };
            ui.label(format!("Indexing the archive {}…", v.name));
            ui.add(
                egui::ProgressBar::new(f)
                    .show_percentage()
                    .text(format!("{done} of {total} files")),
            );
        }
        ArchiveStatus::Failed(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ArchiveStatus::Ready => {
            ui.label("No dated articles in this archive: nothing to put on a timeline.");
        }
    }
}

/// The bars, the selected range over them, month ticks under them; dragging picks a range.
fn bars(ui: &mut egui::Ui, v: &ArchiveView, first: NaiveDate, last: NaiveDate, out: &mut Output) {
    let avail = ui.available_rect_before_wrap();
    let rect = egui::Rect::from_min_max(
        egui::pos2(avail.left() + 4.0, avail.top() + 2.0),
        egui::pos2(avail.right() - 4.0, avail.bottom() - 16.0),
    );
    let days = ((last - first).num_days() + 1).max(1) as f32;
    let x_of = |d: NaiveDate| rect.left() + (d - first).num_days() as f32 / days * rect.width();
    let day_at = |x: f32| {
        let i = ((x - rect.left()) / rect.width() * days).floor();
        first + Days::new(i.clamp(0.0, days - 1.0) as u64)
    };
    let response = ui.allocate_rect(rect, Sense::click_and_drag());
    out.controls.push(("timeline".into(), rect));
    let painter = ui.painter_at(rect.expand2(egui::vec2(0.0, 16.0)));
    painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
    // The selection first, so the bars draw over it.
    if let Some((a, b)) = v.range {
        let sel = egui::Rect::from_x_y_ranges(x_of(a)..=x_of(b + Days::new(1)), rect.y_range());
        painter.rect_filled(sel, 0.0, Color32::from_rgba_unmultiplied(70, 130, 220, 60));
    }
    let max = v.bins.iter().map(|b| b.articles).max().unwrap_or(0).max(1) as f32;
    let bar = ui.visuals().widgets.inactive.fg_stroke.color;
    for b in &v.bins {
        let end = (b.start + Days::new(v.bin_days as u64)).min(last + Days::new(1));
        let (x0, x1) = (x_of(b.start), x_of(end));
        let w = ((x1 - x0) * 0.8).max(1.0);
        let h = |n: f32| n / max * (rect.height() - 4.0);
        let at = |from: f32, n: f32| {
            egui::Rect::from_min_max(
                egui::pos2(x0, rect.bottom() - h(from + n)),
                egui::pos2(x0 + w, rect.bottom() - h(from)),
            )
        };
        let inside = v.range.is_none_or(|(a, z)| b.start <= z && end > a);
        let dim = |c: Color32| if inside { c } else { c.gamma_multiply(0.35) };
        painter.rect_filled(at(0.0, b.articles as f32), 0.0, dim(bar));
        // The stacked entities' shares of the bar: an article that mentions two counts for
        // both, so the stack is scaled down to the bar where it would outgrow it.
        let sum: u32 = b.stack.iter().sum();
        let scale = if sum > b.articles {
            b.articles as f32 / sum as f32
        } else {
            1.0
        };
        let mut from = 0.0;
        for (j, &n) in b.stack.iter().enumerate().filter(|(_, n)| **n > 0) {
            let n = n as f32 * scale;
            painter.rect_filled(at(from, n), 0.0, dim(STACK_COLOURS[j]));
            from += n;
        }
    }
    // Month ticks (or years, over a long span).
    let months = (days / 30.0).ceil() as u32;
    let step = if months > 24 {
        12
    } else if months > 12 {
        3
    } else {
        1
    };
    let mut m = NaiveDate::from_ymd_opt(
        chrono::Datelike::year(&first),
        chrono::Datelike::month(&first),
        1,
    )
    .unwrap_or(first);
    let text = ui.visuals().weak_text_color();
    while m <= last {
        if m >= first {
            let x = x_of(m);
            painter.line_segment(
                [
                    egui::pos2(x, rect.bottom()),
                    egui::pos2(x, rect.bottom() + 4.0),
                ],
                Stroke::new(1.0, text),
            );
            painter.text(
                egui::pos2(x + 2.0, rect.bottom() + 2.0),
                egui::Align2::LEFT_TOP,
                m.format(if step == 12 { "%Y" } else { "%b %Y" })
                    .to_string(),
                egui::FontId::proportional(10.0),
                text,
            );
        }
        m = m
            .checked_add_months(chrono::Months::new(step))
            .unwrap_or(last + Days::new(1));
    }
    // Dragging: the range from where the drag began to the pointer, whole bins.
    let snap = |a: NaiveDate, b: NaiveDate| {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        let bin = |d: NaiveDate| (d - first).num_days() as u64 / v.bin_days as u64;
        let start = first + Days::new(bin(a) * v.bin_days as u64);
        let end = (first + Days::new((bin(b) + 1) * v.bin_days as u64 - 1)).min(last);
        (start, end)
    };
    let anchor_id = response.id.with("anchor");
    let pointer_day = response.interact_pointer_pos().map(|p| day_at(p.x));
    if response.drag_started() {
        // Where the button went down: the pointer may be far from it once a drag is seen.
        let origin = ui.input(|i| i.pointer.press_origin());
        if let Some(d) = origin.map(|p| day_at(p.x)).or(pointer_day) {
            ui.data_mut(|m| m.insert_temp(anchor_id, d));
        }
    }
    let anchor: Option<NaiveDate> = ui.data(|m| m.get_temp(anchor_id));
    if let (Some(a), Some(d)) = (anchor, pointer_day) {
        if response.dragged() || response.drag_stopped() {
            let r = snap(a, d);
            let done = response.drag_stopped();
            if v.range != Some(r) || done {
                out.actions
                    .push(Action::Archive(ArchiveAction::Range(Some(r), done)));
            }
        }
    }
    if response.clicked() {
        if let Some(d) = pointer_day {
            let r = snap(d, d);
            out.actions
                .push(Action::Archive(ArchiveAction::Range(Some(r), true)));
        }
    }
    if let Some(p) = response.hover_pos() {
        let d = day_at(p.x);
        let bin = v
            .bins
            .iter()
            .rev()
            .find(|b| b.start <= d)
            .map_or(0, |b| b.articles);
        response.on_hover_text_at_pointer(format!(
            "{d}: {bin} article{}",
            if bin == 1 { "" } else { "s" }
        ));
    }
}

/// The archive panel on the left.
pub fn archive_panel(ui: &mut egui::Ui, v: &ArchiveView, out: &mut Output) {
    let panel = egui::Panel::left("archive")
        .default_size(ARCHIVE_WIDTH)
        .min_size(220.0)
        .max_size(520.0)
        .resizable(true)
        .show(ui, |ui| {
            ui.heading(format!("Archive: {}", v.name));
            match &v.status {
                ArchiveStatus::Indexing { .. } => status_line(ui, v),
                ArchiveStatus::Failed(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                ArchiveStatus::Ready => {
                    ui.label(RichText::new(format!("{} articles", v.total)).weak());
                }
            }
            ui.separator();
            search_field(ui, v, out);
            ui.separator();
            if v.status != ArchiveStatus::Ready {
                return;
            }
            match &v.entity {
                Some(_) => article_list(ui, v, out),
                None => {
                    top_entities(ui, v, out);
                    if v.search.is_some() {
                        ui.separator();
                        article_list(ui, v, out);
                    } else {
                        ui.label(
                            RichText::new(
                                "Click a region or border on the map to list the range's articles that mention it.",
                            )
                            .weak(),
                        );
                    }
                }
            }
        });
    out.controls
        .push(("archive-panel".into(), panel.response.rect));
}

/// The full-text search box: Enter filters the timeline, the map and the lists.
fn search_field(ui: &mut egui::Ui, v: &ArchiveView, out: &mut Output) {
    let id = egui::Id::unique("archive-search-text");
    let mut text: String = ui
        .data(|m| m.get_temp(id))
        .unwrap_or_else(|| v.search.as_ref().map_or(String::new(), |(q, _)| q.clone()));
    ui.horizontal(|ui| {
        let field = ui.add(
            egui::TextEdit::singleline(&mut text)
                .hint_text("search the articles (Enter)")
                .desired_width(ui.available_width() - 30.0),
        );
        out.controls.push(("archive-search".into(), field.rect));
        if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            out.actions.push(Action::Archive(ArchiveAction::Search(
                text.trim().to_string(),
            )));
        }
        if v.search.is_some()
            && ui
                .small_button("×")
                .on_hover_text("clear the search")
                .clicked()
        {
            text.clear();
            out.actions
                .push(Action::Archive(ArchiveAction::Search(String::new())));
        }
    });
    ui.data_mut(|m| m.insert_temp(id, text));
    if let Some((q, n)) = &v.search {
        ui.label(format!("{n} articles match “{q}”"));
    }
    if let Some(e) = &v.search_error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
}

/// The range's most mentioned entities; clicking one lists its articles.
fn top_entities(ui: &mut egui::Ui, v: &ArchiveView, out: &mut Output) {
    ui.label(RichText::new("Most mentioned in the range").strong());
    if v.top.is_empty() {
        ui.label(RichText::new("nothing in this range").weak());
    }
    for (id, name, kind, n) in &v.top {
        ui.horizontal(|ui| {
            let (r, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), Sense::hover());
            ui.painter().rect_filled(r, 2.0, kind_colour(*kind));
            if ui.link(format!("{name}  {n}")).clicked() {
                out.actions
                    .push(Action::Archive(ArchiveAction::Entity(Some(id.clone()))));
            }
        });
    }
}

/// The listed articles: title (opens it), date and source, the sentence that mentions the entity.
fn article_list(ui: &mut egui::Ui, v: &ArchiveView, out: &mut Output) {
    if let Some((_, name, n)) = &v.entity {
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("{name}: {n} articles")).strong());
            if ui
                .small_button("×")
                .on_hover_text("back to the overview")
                .clicked()
            {
                out.actions
                    .push(Action::Archive(ArchiveAction::Entity(None)));
            }
        });
    }
    if v.list_pending {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("reading…");
        });
    }
    if let Some(e) = &v.list_error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    if v.list.len() >= LIST_LIMIT {
        ui.label(RichText::new(format!("the newest {}", v.list.len())).weak());
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        for (i, l) in v.list.iter().enumerate() {
            let a = &l.article;
            let title = a.title.clone().unwrap_or_else(|| a.path.clone());
            let open = v.opened == Some(a.id);
            let r = ui.selectable_label(open, RichText::new(title).strong());
            if i < NAMED_ROWS {
                out.controls.push((format!("archive-article-{i}"), r.rect));
            }
            if r.clicked() {
                out.actions.push(Action::Archive(ArchiveAction::Open(i)));
            }
            let meta = [a.date.as_deref(), a.source.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
            ui.label(
                RichText::new(if meta.is_empty() {
                    "undated".into()
                } else {
                    meta
                })
                .small()
                .weak(),
            );
            if let Some(s) = &l.sentence {
                ui.label(RichText::new(s).small().italics());
            }
            ui.add_space(4.0);
        }
    });
}
