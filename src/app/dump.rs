//! Frame hooks for tests and bug reports: with `BORDERLENS_FRAME_DUMP=DIR` the window writes
//! every presented frame as `DIR/frame-N.png` (window pixels, UI included) and then
//! `DIR/state.json` (camera, layers, last toast), both atomically. Only the newest frames are kept.

use std::path::{Path, PathBuf};

use serde::Serialize;

pub const ENV: &str = "BORDERLENS_FRAME_DUMP";
const KEEP: u64 = 4;

#[derive(Serialize, Debug, Clone)]
pub struct LayerState {
    pub name: String,
    pub kind: &'static str,
    pub visible: bool,
    pub opacity: f32,
    pub features: usize,
    pub warnings: usize,
    /// Fill colour of the first feature, `#rrggbb` (overlays: simplestyle `fill`).
    pub fill: Option<String>,
    /// Why the last reload of the layer's file failed (the badge in the layers panel).
    pub reload_error: Option<String>,
    /// A heavy layer's levels of detail made so far, km (0: full detail; see `lod`).
    pub levels_km: Vec<f64>,
    /// Its features keep their lon/lat geometry (a file over `lod::HOLD_VERTICES` keeps only
    /// its projected copy).
    pub lonlat: bool,
    /// Of those, the levels not kept but drawn into images from the geometry, km.
    pub streamed_km: Vec<f64>,
    /// The level the frame drew (or drew the image of), km; `None` for a light layer.
    pub drawn_km: Option<f64>,
    /// Of the levels, those that hold part of the layer (`lod::Want`): their km and the
    /// world-km box (min x, min y, max x, max y) each holds.
    pub parts: Vec<(f64, [f64; 4])>,
    /// The world-km box the level drawn holds, when it holds part of the layer.
    pub drawn_part: Option<[f64; 4]>,
    /// Levels asked of the loading threads and not back yet: their km and the part each is of
    /// (`None`: the whole layer).
    pub asked: Vec<(f64, Option<[f64; 4]>)>,
    /// Levels asked for and then no longer wanted (the view had moved on): stopped before they
    /// were made, or dropped when they came.
    pub levels_cancelled: u64,
    /// The frame drew it within its level-of-detail error (not a stand-in).
    pub exact: bool,
    /// The frame drew the layer from its image (`gpu::raster`).
    pub image: bool,
    /// Images of the layer made so far.
    pub images_made: u64,
    /// An image of the layer is being made.
    pub image_pending: bool,
    /// Images of the layer stopped before they were done (the view left them).
    pub images_stopped: u64,
    /// Render passes of its images that waited for the user's input to stop (`app::yielding`).
    pub image_passes_held: u64,
}

#[derive(Serialize, Debug, Clone)]
pub struct State {
    pub frame: u64,
    /// When the frame was presented, ms since the Unix epoch.
    pub presented_ms: u128,
    pub png: String,
    pub center: [f64; 2],
    pub scale: f64,
    /// The projection (`lcc`, `mercator`, `equal-earth`) and its central meridian.
    pub projection: String,
    pub central: f64,
    /// The layers are being re-projected.
    pub switching: bool,
    pub size: [u32; 2],
    pub pixel_ratio: f32,
    /// Animation or inertia still running, or the frame showed the map image moved (see
    /// `gpu::cache`) rather than the map drawn for this view.
    pub moving: bool,
    /// The frame showed the last map image while the map is drawn over several frames.
    pub refining: bool,
    /// The status bar's spinner says the map is being drawn (over several frames, or a
    /// level or image made on another thread).
    pub drawing: bool,
    /// How long the frame before this one took, start to present (ms).
    pub last_frame_ms: f64,
    pub loading: usize,
    pub layers: Vec<LayerState>,
    pub toast: Option<String>,
    pub toast_error: bool,
    /// Every toast on screen, oldest first.
    pub toasts: Vec<String>,
    /// The pointer position the frame was drawn with (physical px), if over the window.
    pub pointer: Option<[f64; 2]>,
    pub hovered: Option<String>,
    /// The hovered feature's bounds on screen (physical px: x0, y0, x1, y1).
    pub hovered_rect: Option<[f32; 4]>,
    pub selected: Option<String>,
    /// Where the selected feature is on screen (physical px), its card beside it.
    pub selected_at: Option<[f32; 2]>,
    /// The measure tool's distance so far, km, when it is on.
    pub measure_km: Option<f64>,
    pub graticule: bool,
    /// The map's free area (not under panels), physical px: x0, y0, x1, y1.
    pub map_rect: [f32; 4],
    /// Named controls (e.g. `visible:FILE`, a layer's checkbox), physical px: x0, y0, x1, y1.
    pub controls: std::collections::BTreeMap<String, [f32; 4]>,
    /// Archive mode: indexing, the timeline's span and range, the range's counts, the list.
    pub archive: Option<serde_json::Value>,
}

pub struct Dump {
    dir: PathBuf,
}

impl Dump {
    pub fn from_env() -> Option<Dump> {
        let dir = PathBuf::from(std::env::var_os(ENV)?);
        if let Err(e) = std::fs::create_dir_all(&dir) {
            log::warn!("{ENV}: cannot create {}: {e}", dir.display());
            return None;
        }
        Some(Dump { dir })
    }

    pub fn write(&self, image: &image::RgbaImage, mut state: State) {
        let name = format!("frame-{}.png", state.frame);
        state.png = name.clone();
        let png = self.dir.join(&name);
        if let Err(e) = save_png(image, &png) {
            log::warn!("{}: {e}", png.display());
            return;
        }
        if state.frame >= KEEP {
            let _ =
                std::fs::remove_file(self.dir.join(format!("frame-{}.png", state.frame - KEEP)));
        }
        let json = match serde_json::to_vec_pretty(&state) {
            Ok(j) => j,
            Err(_) => return,
        };
        let tmp = self.dir.join("state.json.tmp");
        if std::fs::write(&tmp, json).is_ok() {
            let _ = std::fs::rename(tmp, self.dir.join("state.json"));
        }
    }
}

/// Writes a PNG quickly (fast compression), atomically (temporary file, then rename).
pub fn save_png(image: &image::RgbaImage, path: &Path) -> anyhow::Result<()> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::ImageEncoder;
    let tmp = path.with_extension("png.tmp");
    {
        let file = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        PngEncoder::new_with_quality(file, CompressionType::Fast, FilterType::Sub).write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgba8,
        )?;
    }
    std::fs::rename(&tmp, path)?;
    Ok(())
}
