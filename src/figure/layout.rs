//! Where each part of a figure goes, in output pixels: the title block above the map, the map
//! with the locator inset in its upper right corner, the key band below it (the legend on the
//! left, in columns; the scale bar and projection note on the right), the credits line at the
//! bottom. No text sits on the map: text on white reads, and a page at least a quarter white
//! (a third at 1600x1000) stays readable by OCR whatever the map's colours (see
//! `figure::BASE_WASH`). The PNG and the SVG both draw from this layout, so the two agree and
//! tests can check positions without reading pixels.

use crate::figure::content::{Content, Swatch};

/// The reference width: at 1600 px, one [`Layout::unit`] is one pixel.
pub const REFERENCE_WIDTH: f32 = 1600.0;
/// Text sizes in units; none is under 12, the least that stays legible (and OCR-readable).
pub const TITLE_SIZE: f32 = 30.0;
pub const SUBTITLE_SIZE: f32 = 17.0;
pub const LEGEND_SIZE: f32 = 16.0;
pub const SCALE_SIZE: f32 = 14.0;
pub const NOTE_SIZE: f32 = 12.5;
pub const CREDITS_SIZE: f32 = 13.0;
/// Outer margin, in units.
const MARGIN: f32 = 24.0;
/// The key band below the map: this share of the page's height, and at least `KEY_MIN` units.
const KEY_SHARE: f32 = 0.18;
const KEY_MIN: f32 = 110.0;
/// Gap between the map and the key band, and between legend columns, in units.
const GAP: f32 = 12.0;
const COLUMN_GAP: f32 = 28.0;
/// Average advance of a glyph in ems (egui's proportional font), for wrapping and box widths.
const EM_ADVANCE: f32 = 0.53;

pub const INK: [u8; 3] = [0x1a, 0x1a, 0x1a];
pub const MUTED: [u8; 3] = [0x50, 0x50, 0x50];

/// An axis-aligned box in output pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Area {
    pub fn right(&self) -> f32 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }
    pub fn contains(&self, o: &Area) -> bool {
        o.x >= self.x - 0.5
            && o.y >= self.y - 0.5
            && o.right() <= self.right() + 0.5
            && o.bottom() <= self.bottom() + 0.5
    }
    pub fn overlaps(&self, o: &Area) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }
}

/// One line of text: `pos` is its top left corner, `size` the font size in pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct TextItem {
    pub text: String,
    pub pos: [f32; 2],
    pub size: f32,
    pub color: [u8; 3],
}

impl TextItem {
    /// The box the text is estimated to cover.
    pub fn area(&self) -> Area {
        Area {
            x: self.pos[0],
            y: self.pos[1],
            w: text_width(&self.text, self.size),
            h: self.size * 1.2,
        }
    }
}

/// The estimated width of `text` at `size` pixels.
pub fn text_width(text: &str, size: f32) -> f32 {
    text.chars().count() as f32 * EM_ADVANCE * size
}

/// `text` in lines no wider than `width` at `size`, broken between words.
pub fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(&candidate, size) > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A legend row: the swatch's box and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendRow {
    pub swatch_area: Area,
    pub swatch: Swatch,
    pub text: TextItem,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Legend {
    /// The white box behind the rows.
    pub area: Area,
    pub heading: TextItem,
    pub rows: Vec<LegendRow>,
}

/// The scale bar: `km` kilometres drawn `bar.w` pixels long, its label, and the projection note.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleBar {
    pub area: Area,
    pub bar: Area,
    pub km: f64,
    pub label: TextItem,
    pub note: TextItem,
}

/// A figure's parts in output pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub size: [u32; 2],
    /// Pixels per unit: the output's width over [`REFERENCE_WIDTH`].
    pub unit: f32,
    pub title: Vec<TextItem>,
    pub subtitle: Option<TextItem>,
    /// Whole pixels, so that the map image fits exactly.
    pub map: Area,
    /// The band below the map that holds the legend and the scale bar (none on a bare map).
    pub key: Option<Area>,
    pub legend: Option<Legend>,
    pub scale_bar: Option<ScaleBar>,
    pub inset: Option<Area>,
    pub credits: Option<TextItem>,
}

impl Layout {
    /// The title block, the map's box and the credits of a figure of `size` output pixels.
    /// The legend, scale bar and inset go over the map once its scale is known
    /// ([`Layout::place_legend`], [`Layout::place_scale_bar`], [`Layout::place_inset`]).
    pub fn new(size: [u32; 2], content: &Content) -> Layout {
        let unit = size[0] as f32 / REFERENCE_WIDTH;
        let margin = (MARGIN * unit).round();
        let width = size[0] as f32 - 2.0 * margin;
        let mut y = margin;
        let mut title = Vec::new();
        if let Some(t) = &content.title {
            let font = TITLE_SIZE * unit;
            for line in wrap(t, font, width) {
                title.push(TextItem {
                    text: line,
                    pos: [margin, y],
                    size: font,
                    color: INK,
                });
                y += font * 1.2;
            }
        }
        let subtitle = content.subtitle.as_ref().map(|s| {
            let font = SUBTITLE_SIZE * unit;
            let item = TextItem {
                text: s.clone(),
                pos: [margin, y + 2.0 * unit],
                size: font,
                color: MUTED,
            };
            y += font * 1.2 + 2.0 * unit;
            item
        });
        if y > margin {
            y += 10.0 * unit;
        }
        let credits = content.credits.as_ref().map(|c| {
            let font = CREDITS_SIZE * unit;
            TextItem {
                text: c.clone(),
                pos: [margin, size[1] as f32 - margin * 0.5 - font * 1.2],
                size: font,
                color: MUTED,
            }
        });
        let bottom = match &credits {
            Some(c) => c.pos[1] - 8.0 * unit,
            None => size[1] as f32 - margin,
        };
        let key_h = (KEY_SHARE * size[1] as f32).max(KEY_MIN * unit).round();
        let key = Area {
            x: margin,
            y: (bottom - key_h).round(),
            w: width.round(),
            h: key_h,
        };
        let map = Area {
            x: margin,
            y: y.round(),
            w: width.round(),
            h: (key.y - GAP * unit - y.round()).round().max(1.0),
        };
        Layout {
            size,
            unit,
            title,
            subtitle,
            map,
            key: Some(key),
            legend: None,
            scale_bar: None,
            inset: None,
            credits,
        }
    }

    /// A bare map: the whole image, nothing around it.
    pub fn bare(size: [u32; 2]) -> Layout {
        Layout {
            size,
            unit: size[0] as f32 / REFERENCE_WIDTH,
            title: Vec::new(),
            subtitle: None,
            map: Area {
                x: 0.0,
                y: 0.0,
                w: size[0] as f32,
                h: size[1] as f32,
            },
            key: None,
            legend: None,
            scale_bar: None,
            inset: None,
            credits: None,
        }
    }

    /// The legend in the key band's left part, its rows in as many columns as the band's height
    /// needs and its width allows (what does not fit is left out).
    pub fn place_legend(&mut self, content: &Content) {
        let Some(key) = self.key else {
            return;
        };
        if content.legend.is_empty() {
            return;
        }
        let u = self.unit;
        let pad = 10.0 * u;
        let size = LEGEND_SIZE * u;
        let row_h = size * 1.45;
        let swatch = [22.0 * u, 12.0 * u];
        let per_column = (((key.h - 2.0 * pad) / row_h).floor() as usize)
            .saturating_sub(1)
            .max(1);
        let heading_text = "On this map".to_string();
        let label_w = content
            .legend
            .iter()
            .map(|e| text_width(&e.label, size))
            .fold(0.0, f32::max);
        let column_w = swatch[0] + 8.0 * u + label_w;
        // The scale bar takes at most a quarter of the band's width on the right.
        let room = key.w * 0.72 - 2.0 * pad;
        let max_columns =
            (((room + COLUMN_GAP * u) / (column_w + COLUMN_GAP * u)).floor() as usize).max(1);
        let n = content.legend.len().min(per_column * max_columns);
        let columns = n.div_ceil(per_column);
        let entries = &content.legend[..n];
        let w = pad * 2.0
            + (columns as f32 * (column_w + COLUMN_GAP * u) - COLUMN_GAP * u)
                .max(text_width(&heading_text, size));
        let h = pad * 2.0 + row_h * (n.min(per_column) + 1) as f32;
        let area = Area {
            x: key.x,
            y: key.y,
            w,
            h,
        };
        let heading = TextItem {
            text: heading_text,
            pos: [area.x + pad, area.y + pad],
            size,
            color: MUTED,
        };
        let rows = entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let (column, row) = (i / per_column, i % per_column);
                let top = area.y + pad + row_h * (row + 1) as f32;
                let left = area.x + pad + column as f32 * (column_w + COLUMN_GAP * u);
                LegendRow {
                    swatch_area: Area {
                        x: left,
                        y: top + (size * 1.2 - swatch[1]) / 2.0,
                        w: swatch[0],
                        h: swatch[1],
                    },
                    swatch: e.swatch,
                    text: TextItem {
                        text: e.label.clone(),
                        pos: [left + swatch[0] + 8.0 * u, top],
                        size,
                        color: INK,
                    },
                }
            })
            .collect();
        self.legend = Some(Legend {
            area,
            heading,
            rows,
        });
    }

    /// A scale bar of a round length, about a fifth of the map's width, in the key band's right
    /// part (or the map's lower right corner without a band); `px_per_km` is the map's scale
    /// at its centre.
    pub fn place_scale_bar(&mut self, px_per_km: f64, projection_note: &str) {
        let u = self.unit;
        let km = nice_length(0.2 * self.map.w as f64 / px_per_km);
        let bar_w = (km * px_per_km) as f32;
        let pad = 8.0 * u;
        let label = format!("{} km", format_km(km));
        let note_w = text_width(projection_note, NOTE_SIZE * u);
        let w = bar_w.max(note_w).max(text_width(&label, SCALE_SIZE * u)) + 2.0 * pad;
        let h =
            pad * 2.0 + SCALE_SIZE * u * 1.2 + 6.0 * u + 4.0 * u + 4.0 * u + NOTE_SIZE * u * 1.2;
        let area = match self.key {
            Some(key) => Area {
                x: key.right() - w,
                y: key.y,
                w,
                h,
            },
            None => Area {
                x: self.map.right() - 12.0 * u - w,
                y: self.map.bottom() - 12.0 * u - h,
                w,
                h,
            },
        };
        let label = TextItem {
            text: label,
            pos: [area.x + pad, area.y + pad],
            size: SCALE_SIZE * u,
            color: INK,
        };
        let bar = Area {
            x: area.x + pad,
            y: label.pos[1] + SCALE_SIZE * u * 1.2 + 4.0 * u,
            w: bar_w,
            h: 5.0 * u,
        };
        let note = TextItem {
            text: projection_note.to_string(),
            pos: [area.x + pad, bar.bottom() + 4.0 * u],
            size: NOTE_SIZE * u,
            color: MUTED,
        };
        self.scale_bar = Some(ScaleBar {
            area,
            bar,
            km,
            label,
            note,
        });
    }

    /// The locator inset in the map's upper right corner, `aspect` (width / height) of the
    /// region it shows; whole pixels.
    pub fn place_inset(&mut self, aspect: f32) {
        let u = self.unit;
        let w = (0.22 * self.map.w).min(0.4 * self.map.h * aspect).round();
        let h = (w / aspect).round();
        self.inset = Some(Area {
            x: (self.map.right() - 12.0 * u - w).round(),
            y: (self.map.y + 12.0 * u).round(),
            w,
            h,
        });
    }

    /// Every text item of the figure.
    pub fn texts(&self) -> Vec<&TextItem> {
        let mut t: Vec<&TextItem> = self.title.iter().collect();
        t.extend(&self.subtitle);
        if let Some(l) = &self.legend {
            t.push(&l.heading);
            t.extend(l.rows.iter().map(|r| &r.text));
        }
        if let Some(s) = &self.scale_bar {
            t.push(&s.label);
            t.push(&s.note);
        }
        t.extend(&self.credits);
        t
    }
}

/// The round length (1, 2 or 5 times a power of ten km) nearest below `km`.
pub fn nice_length(km: f64) -> f64 {
    if !km.is_finite() || km <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(km.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&l| l <= km)
        .unwrap_or(p)
}

fn format_km(km: f64) -> String {
    if km >= 1.0 {
        format!("{km:.0}")
    } else {
        format!("{km}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::content::LegendEntry;

    fn content(legend: usize) -> Content {
        Content {
            title: Some("A rather long headline about a border crossing, the trucks queued on both sides of it and the officials who met there, that wraps".into()),
            subtitle: Some("14 May 2024".into()),
            legend: (0..legend)
                .map(|i| LegendEntry {
                    label: format!("Entity {i}"),
                    swatch: Swatch::Line {
                        color: [200, 30, 30, 255],
                    },
                    id: format!("e{i}"),
                })
                .collect(),
            credits: Some(crate::figure::CREDITS.into()),
            projection: "Lambert conformal conic projection".into(),
        }
    }

    fn placed(size: [u32; 2], legend: usize) -> Layout {
        let c = content(legend);
        let mut l = Layout::new(size, &c);
        l.place_legend(&c);
        l.place_scale_bar(2.0, &c.projection);
        l.place_inset(1.6);
        l
    }

    #[test]
    fn parts_sit_where_they_belong_without_overlapping() {
        for size in [[1600, 1000], [800, 600], [3200, 2000], [1200, 1200]] {
            let l = placed(size, 5);
            let whole = Area {
                x: 0.0,
                y: 0.0,
                w: size[0] as f32,
                h: size[1] as f32,
            };
            // The title wraps above the map; the credits sit below it.
            assert!(l.title.len() >= 2, "{size:?}: the title did not wrap");
            for t in &l.title {
                assert!(whole.contains(&t.area()), "{size:?}: {t:?}");
                assert!(t.area().bottom() <= l.map.y);
            }
            let credits = l.credits.as_ref().unwrap();
            assert!(credits.pos[1] >= l.map.bottom());
            assert!(whole.contains(&credits.area()));
            // Inset upper right on the map; legend (left) and scale bar (right) in the key band
            // between the map and the credits, clear of the map and of each other.
            let key = l.key.unwrap();
            let legend = l.legend.as_ref().unwrap().area;
            let scale = l.scale_bar.as_ref().unwrap().area;
            let inset = l.inset.unwrap();
            assert!(l.map.contains(&inset));
            assert!(key.y >= l.map.bottom() && key.bottom() <= credits.pos[1]);
            for a in [legend, scale] {
                assert!(key.contains(&a), "{size:?}: {a:?} outside {key:?}");
                assert!(!a.overlaps(&l.map));
            }
            assert!(legend.x < key.x + key.w * 0.5 && scale.x > key.x + key.w * 0.5);
            assert!(inset.x > l.map.x + l.map.w * 0.5 && inset.bottom() < l.map.y + l.map.h * 0.5);
            assert!(!legend.overlaps(&scale));
            // Every row's text inside the legend's box.
            for r in &l.legend.as_ref().unwrap().rows {
                assert!(legend.contains(&r.text.area()), "{size:?}: {r:?}");
            }
            // The map leaves at least a quarter of the page white (OCR's thresholds).
            assert!(l.map.w * l.map.h <= 0.75 * whole.w * whole.h, "{size:?}");
            // All text at least 12 px at 1600 px wide, scaled with the width.
            for t in l.texts() {
                assert!(t.size >= 12.0 * size[0] as f32 / 1600.0 - 1e-3, "{t:?}");
            }
        }
    }

    #[test]
    fn the_scale_bar_is_a_round_length_at_the_map_scale() {
        let c = content(0);
        let mut l = Layout::new([1600, 1000], &c);
        l.place_scale_bar(3.3, &c.projection);
        let s = l.scale_bar.unwrap();
        assert_eq!(s.km, 50.0);
        assert!((s.bar.w - 165.0).abs() < 0.01);
        assert_eq!(s.label.text, "50 km");
        assert_eq!(nice_length(0.7), 0.5);
        assert_eq!(nice_length(19.9), 10.0);
        assert_eq!(nice_length(200.0), 200.0);
    }

    #[test]
    fn long_legends_flow_into_columns_and_are_cut_to_the_band() {
        let l = placed([1600, 1000], 9);
        let legend = l.legend.as_ref().unwrap();
        assert_eq!(legend.rows.len(), 9);
        let columns: std::collections::BTreeSet<i32> =
            legend.rows.iter().map(|r| r.swatch_area.x as i32).collect();
        assert!(columns.len() >= 2, "{columns:?}");
        let l = placed([800, 500], 400);
        let legend = l.legend.unwrap();
        assert!(legend.rows.len() < 400);
        assert!(l.key.unwrap().contains(&legend.area));
    }

    #[test]
    fn wrapping_keeps_every_word() {
        let lines = wrap("one two three four five six", 10.0, 60.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), "one two three four five six");
        assert!(lines.iter().all(|l| text_width(l, 10.0) <= 60.0));
    }
}
