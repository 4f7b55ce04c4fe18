//! Files while the window runs: loading off the UI thread, watching loaded files for changes
//! (debounced by notify-debouncer-full, parent folders watched since editors replace files), the open dialog, and the
//! recent-files list. Results go to the callbacks the window gives (`threads::Post`).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use geo::Rect;

use super::levels::upload_level;
use super::threads::{load_pool, return_freed_memory, Post};
use super::ui::{self, LegendEntry};
use crate::gpu::{GpuLayer, Uploader};
use crate::map::camera::Camera;
use crate::map::hit::HitIndex;
use crate::map::layer::MapLayer;
use crate::map::lod::{self, Level};
use crate::map::overlay::{demo_layer, is_article, load_overlay};
use crate::map::project::Projection;
use crate::mesh::tessellate::Mesh;

/// Changes closer together than this are one change (editors write in several steps).
pub const DEBOUNCE: Duration = Duration::from_millis(150);
/// A file dialog that has not answered after this long is taken for absent (a path field is
/// offered; the dialog's later answer still opens its files).
const DIALOG_WAIT: Duration = Duration::from_secs(10);
/// A dialog "cancelled" sooner than this never showed.
const DIALOG_QUICK_FAIL: Duration = Duration::from_millis(700);

/// A layer with its hit index, legend and meshes, built on the loading thread.
pub struct LoadedLayer {
    pub layer: MapLayer,
    pub hit: HitIndex,
    pub legend: Vec<LegendEntry>,
    pub meshes: Meshes,
}

/// A loaded layer's meshes: its full mesh (empty for a heavy layer) and, for a heavy layer, the
/// level of detail its first view needs (see `lod`). Already on the GPU (the loading thread
/// uploaded them, so a big file does not stall a frame), or still to upload.
pub enum Meshes {
    Uploaded(Box<(GpuLayer, Vec<Level<GpuLayer>>)>),
    Cpu(Option<Level<Mesh>>),
}

/// Tessellates the layer for the first view `first` (see [`lod::first_level`]) and uploads its
/// meshes with `uploader` when there is one; the CPU copies of the meshes are dropped once on
/// the GPU (a heavy layer's level is uploaded as it is made, a batch of chunks at a time). A heavy layer's first level holds only the part of the
/// layer around that view (`lod::coverage_for`) when that part has at most half its vertices.
///
/// With `fit`, the scale at which the window would show the whole layer, a heavy layer also
/// gets the level of that view when it is much coarser (cheap to make): the view `F` goes to,
/// without a level to wait for.
fn to_gpu(
    layer: &mut MapLayer,
    uploader: Option<&Uploader>,
    first: Option<&Camera>,
    fit: Option<f64>,
) -> Result<Meshes, String> {
    let scale = first.map(|c| c.scale);
    let Some(up) = uploader else {
        return Ok(Meshes::Cpu(lod::first_level(layer, scale)));
    };
    let name = layer.name.clone();
    let err = |e: crate::gpu::GpuError| format!("{name}: {e}");
    if let Some(tolerance_km) = lod::first_tolerance(layer, scale) {
        let state = up.upload(&Mesh::default(), &layer.styles).map_err(err)?;
        let up = &up.sharing_styles(&state);
        // Points draw the same at every level (`lod::simplifies`): one whole level serves
        // every view, with no part nor coarser level beside it.
        let alike = !lod::simplifies(&layer.projected);
        let fitted = fit
            .map(lod::tolerance_for)
            .filter(|&t| t > 2.0 * tolerance_km && !alike);
        // The first view's level, and a coarser one kept: the fitted view's or, when the
        // first is streamed, a stand-in drawn until its image is in.
        let mut levels = Vec::new();
        let streamed = lod::is_streamed(&layer.projected, tolerance_km);
        if streamed {
            let budget = lod::stand_in_budget();
            let (t, reduced) = lod::stand_in(&layer.projected, tolerance_km, budget);
            log::info!(
                "{}: level {tolerance_km} km streamed, {t} km stands in",
                layer.name
            );
            levels.push(kept_level(layer, up, t, LevelOf::StandIn(&reduced))?);
            levels.push(Level {
                tolerance_km,
                mesh: up.upload(&Mesh::default(), &layer.styles).map_err(err)?,
                used: 0,
                streamed: true,
                lossy: false,
                covers: None,
            });
        } else {
            let cover = first
                .filter(|_| !alike)
                .and_then(|c| lod::coverage_for(c, state.reach_on(c.pixel_ratio), layer.bounds));
            let part = lod::part_worth_making(&layer.projected, cover);
            let of = match &part {
                Some((parts, c)) => LevelOf::Part(parts, *c),
                None => LevelOf::Whole,
            };
            levels.push(kept_level(layer, up, tolerance_km, of)?);
            // A part comes with a whole level to stand in where it does not reach: the fitted
            // view's, or else (a re-projected layer) the ladder's coarsest, which is light.
            let whole = fitted.or_else(|| part.is_some().then_some(lod::COARSEST_KM));
            if let Some(t) = whole.filter(|&t| t > tolerance_km) {
                levels.push(kept_level(layer, up, t, LevelOf::Whole)?);
            }
        }
        // Coarsest first.
        levels.sort_by(|a, b| b.tolerance_km.total_cmp(&a.tolerance_km));
        return Ok(Meshes::Uploaded(Box::new((state, levels))));
    }
    let first = lod::first_level(layer, scale);
    let (gpu, first) = upload(up, layer, first)?;
    layer.mesh = Mesh::default();
    Ok(Meshes::Uploaded(Box::new((
        gpu,
        first.into_iter().collect(),
    ))))
}

/// What a level kept on the device is made of.
enum LevelOf<'a> {
    /// The whole layer.
    Whole,
    /// Its biggest features only, a lossy stand-in (`lod::stand_in`).
    StandIn(&'a [Option<geo::Geometry<f64>>]),
    /// The part of the layer within a box (`lod::parts_within`), stacked as the whole.
    Part(&'a [Option<geo::Geometry<f64>>], Rect<f64>),
}

/// A level of `layer` kept on the device at `tolerance_km`. Errors name the layer.
fn kept_level(
    layer: &mut MapLayer,
    up: &Uploader,
    tolerance_km: f64,
    of: LevelOf,
) -> Result<Level<GpuLayer>, String> {
    let (projected, styles) = (&layer.projected, &layer.styles);
    let made = match of {
        LevelOf::Whole => upload_level(up, projected, styles, tolerance_km, None),
        LevelOf::StandIn(g) => {
            let inputs = crate::map::layer::tess_inputs(g, styles);
            up.tessellate_upload(&inputs, tolerance_km, styles)
        }
        LevelOf::Part(g, _) => upload_level(up, projected, styles, tolerance_km, Some(g)),
    };
    let (mesh, skipped) = made.map_err(|e| format!("{}: {e}", layer.name))?;
    let lossy = matches!(of, LevelOf::StandIn(_));
    // A stand-in leaves features out on purpose; what it skipped the exact levels meet too.
    if !lossy {
        layer.record_skipped(&skipped);
    }
    Ok(Level {
        tolerance_km,
        mesh,
        used: 0,
        streamed: false,
        lossy,
        covers: match of {
            LevelOf::Part(_, c) => Some(c),
            _ => None,
        },
    })
}

/// The layer's full mesh and its first level on the GPU; errors name the layer.
pub fn upload(
    up: &Uploader,
    layer: &MapLayer,
    first: Option<Level<Mesh>>,
) -> Result<(GpuLayer, Option<Level<GpuLayer>>), String> {
    let err = |e: crate::gpu::GpuError| format!("{}: {e}", layer.name);
    let gpu = up.upload(&layer.mesh, &layer.styles).map_err(err)?;
    let up = &up.sharing_styles(&gpu);
    let first = match first {
        Some(l) => Some(Level {
            tolerance_km: l.tolerance_km,
            mesh: up.upload(&l.mesh, &layer.styles).map_err(err)?,
            used: 0,
            streamed: false,
            lossy: false,
            covers: None,
        }),
        None => None,
    };
    Ok((gpu, first))
}

pub struct Loaded {
    pub path: PathBuf,
    /// The projection the layer was made in (the window's may have changed meanwhile).
    pub projection: Projection,
    /// A reload of a file already shown (after a change on disk).
    pub reload: bool,
    /// The layer with its hit index and legend, built on the loading thread too.
    pub result: Result<LoadedLayer, String>,
    pub took: Duration,
}

/// The window's view when a load starts: its camera, and what fitting a layer would give (the
/// free area's size less padding, physical px, and the camera's scale limits).
#[derive(Debug, Clone, Copy)]
pub struct FirstView {
    pub camera: Camera,
    pub fit_px: [f64; 2],
    pub scale_limits: [f64; 2],
}

impl FirstView {
    /// The scale at which the window would show `bounds` whole (as `App::fit_camera`).
    pub fn fit_scale(&self, bounds: geo::Rect<f64>) -> f64 {
        (self.fit_px[0] / bounds.width().max(1e-6))
            .min(self.fit_px[1] / bounds.height().max(1e-6))
            .clamp(self.scale_limits[0], self.scale_limits[1])
    }
}

/// A file read, parsed and projected on the load pool while the window and its device come up
/// (files named on the command line): [`spawn_load`] goes on from it.
pub type Prefetch = std::thread::JoinHandle<Result<MapLayer, String>>;

pub fn prefetch(path: PathBuf, projection: Projection, max_size_mb: u64) -> Option<Prefetch> {
    let spawned = std::thread::Builder::new()
        .name("prefetch".into())
        .spawn(move || {
            load_pool().install(|| {
                std::panic::catch_unwind(|| {
                    load_overlay(&path, &projection, max_size_mb).map_err(|e| error_text(&e.into()))
                })
                .unwrap_or_else(|_| Err(format!("{}: loading crashed", path.display())))
            })
        });
    spawned.ok()
}

/// `BORDERLENS_LOAD_DELAY_MS=N`: each load waits N ms before it starts. For tests, so that
/// the window is seen while a file loads for as long as they need, whatever the machine.
fn load_delay() -> Option<std::time::Duration> {
    crate::hooks::millis("BORDERLENS_LOAD_DELAY_MS")
}

/// Loads `path` on a new thread (going on from its `prefetched` reading, if any); the result
/// goes to `done`.
#[allow(clippy::too_many_arguments)]
pub fn spawn_load(
    done: impl Post<Loaded>,
    path: PathBuf,
    projection: Projection,
    max_size_mb: u64,
    reload: bool,
    uploader: Option<Uploader>,
    view: FirstView,
    prefetched: Option<Prefetch>,
) {
    let spawned = std::thread::Builder::new()
        .name("load".into())
        .spawn(move || {
            let started = Instant::now();
            if let Some(d) = load_delay() {
                std::thread::sleep(d);
            }
            // Waited for on this thread, never on the pool: a pool thread waiting for the
            // reading, which runs on the pool, could be the one its work is queued behind.
            let prefetched = prefetched.map(|job| {
                job.join()
                    .unwrap_or_else(|_| Err(format!("{}: loading crashed", path.display())))
            });
            load_pool().install(|| {
                // Everything up to the upload runs under catch_unwind: whatever fails, the
                // window hears of it (a panic here would leave the file "loading" for ever).
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let layer = match prefetched {
                        Some(read) => read?,
                        None => load_overlay(&path, &projection, max_size_mb)
                            .map_err(|e| error_text(&e.into()))?,
                    };
                    log::info!("{}: loaded in {:?}", path.display(), started.elapsed());
                    let fit = layer.bounds.map(|b| view.fit_scale(b));
                    let ready = make_ready(layer, uploader.as_ref(), Some(&view.camera), fit);
                    log::info!("{}: ready after {:?}", path.display(), started.elapsed());
                    ready
                }));
                let result =
                    result.unwrap_or_else(|_| Err(format!("{}: loading crashed", path.display())));
                done(Loaded {
                    path,
                    projection,
                    reload,
                    result,
                    took: started.elapsed(),
                });
                // The file's text and the parse's and tessellation's scratch are freed.
                return_freed_memory();
            })
        });
    if let Err(e) = spawned {
        log::error!("cannot start a loading thread: {e}");
    }
}

/// Label anchors (polylabel is not free: here rather than in the first frame that shows the
/// layer), hit index and legend, off the window's thread.
fn indexed(layer: &MapLayer) -> (HitIndex, Vec<LegendEntry>) {
    let _ = layer.label_anchors();
    (HitIndex::build(layer), ui::legend(layer, 12))
}

/// A layer made ready for the window off its thread: indexed, and its meshes for a first view
/// `first` (see [`to_gpu`]) uploaded with `uploader` when there is one.
pub(super) fn make_ready(
    mut layer: MapLayer,
    uploader: Option<&Uploader>,
    first: Option<&Camera>,
    fit: Option<f64>,
) -> Result<LoadedLayer, String> {
    let (hit, legend) = indexed(&layer);
    let meshes = to_gpu(&mut layer, uploader, first, fit)?;
    Ok(LoadedLayer {
        layer,
        hit,
        legend,
        meshes,
    })
}

/// [`make_ready`] without an uploader (meshes left for the window to upload): nothing can fail.
pub(super) fn finish_layer(mut layer: MapLayer, scale: Option<f64>) -> LoadedLayer {
    let (hit, legend) = indexed(&layer);
    let first = lod::first_level(&mut layer, scale);
    LoadedLayer {
        layer,
        hit,
        legend,
        meshes: Meshes::Cpu(first),
    }
}

/// Builds the demo article's layer on a thread; it goes to `done` with an empty path.
pub fn spawn_demo(done: impl Post<Loaded>, projection: Projection) {
    let _ = std::thread::Builder::new()
        .name("demo".into())
        .spawn(move || {
            let started = Instant::now();
            let result = Ok(finish_layer(demo_layer(&projection), None));
            done(Loaded {
                path: PathBuf::new(),
                projection,
                reload: false,
                result,
                took: started.elapsed(),
            });
        });
}

/// Reads pasted text as an article on a thread; it goes to `done` with an empty path (nothing
/// to watch).
pub fn spawn_text_article(done: impl Post<Loaded>, projection: Projection, text: String) {
    let mut article = crate::article::Article::parse(&text);
    if article.title.is_none() {
        article.title = Some(first_sentence(&article.body));
    }
    spawn_article(done, projection, article);
}

/// Makes an article's layer on a thread; it goes to `done` with an empty path.
pub fn spawn_article(
    done: impl Post<Loaded>,
    projection: Projection,
    article: crate::article::Article,
) {
    let _ = std::thread::Builder::new()
        .name("article".into())
        .spawn(move || {
            let started = Instant::now();
            let result = std::panic::catch_unwind(|| {
                finish_layer(
                    crate::map::overlay::article_layer(article, &projection),
                    None,
                )
            })
            .map_err(|_| "reading the article crashed".to_string());
            done(Loaded {
                path: PathBuf::new(),
                projection,
                reload: false,
                result,
                took: started.elapsed(),
            });
        });
}

/// A title for a text without one: its first sentence, at most 80 characters.
fn first_sentence(text: &str) -> String {
    let end = text.find(['.', '!', '?', '\n']).unwrap_or(text.len());
    let s = text[..end].trim();
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None if s.is_empty() => "Pasted article".to_string(),
        None => s.to_string(),
    }
}

/// The overlays and articles directly in `dir`, by name.
pub fn folder_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && (is_article(p)
                    || p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                        matches!(e.to_ascii_lowercase().as_str(), "geojson" | "json")
                    }))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// An error and its causes on one line, leaving out causes the message already quotes.
pub fn error_text(e: &anyhow::Error) -> String {
    crate::article::error_line(e.as_ref())
}

/// The key under which a file is watched: its canonical folder and its name.
pub fn watch_key(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(name))
}

type Debouncer = notify_debouncer_full::Debouncer<
    notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

/// Watches files through their parent folders (editors replace files) and reports each change
/// once, `DEBOUNCE` after the last event for it (notify-debouncer-full).
pub struct Watcher {
    debouncer: Option<Debouncer>,
    files: Arc<Mutex<HashSet<PathBuf>>>,
    dirs: HashMap<PathBuf, usize>,
}

impl Watcher {
    /// `tell` hears of each change to a watched file.
    pub fn new(tell: impl Post<PathBuf>) -> Watcher {
        let files: Arc<Mutex<HashSet<PathBuf>>> = Arc::default();
        let watched = files.clone();
        let handler = move |result: notify_debouncer_full::DebounceEventResult| {
            let Ok(events) = result else { return };
            let files = watched.lock().unwrap_or_else(|p| p.into_inner());
            let changed: HashSet<&PathBuf> = events
                .iter()
                .filter(|ev| !matches!(ev.kind, notify::EventKind::Access(_)))
                .flat_map(|ev| ev.paths.iter())
                .filter(|p| files.contains(*p))
                .collect();
            for p in changed {
                tell(p.clone());
            }
        };
        let debouncer = match notify_debouncer_full::new_debouncer(DEBOUNCE, None, handler) {
            Ok(d) => Some(d),
            Err(e) => {
                log::warn!("files will not be watched for changes: {e}");
                None
            }
        };
        Watcher {
            debouncer,
            files,
            dirs: HashMap::new(),
        }
    }

    /// Starts watching `path` (idempotent); returns its key.
    pub fn watch(&mut self, path: &Path) -> Option<PathBuf> {
        let key = watch_key(path)?;
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        if !files.insert(key.clone()) {
            return Some(key);
        }
        let dir = key.parent()?.to_path_buf();
        let n = self.dirs.entry(dir.clone()).or_insert(0);
        if *n == 0 {
            if let Some(d) = &mut self.debouncer {
                if let Err(e) = d.watch(&dir, notify::RecursiveMode::NonRecursive) {
                    log::warn!("cannot watch {}: {e}", dir.display());
                }
            }
        }
        *n += 1;
        Some(key)
    }

    pub fn unwatch(&mut self, path: &Path) {
        let Some(key) = watch_key(path) else { return };
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        if !files.remove(&key) {
            return;
        }
        let Some(dir) = key.parent().map(Path::to_path_buf) else {
            return;
        };
        if let Some(n) = self.dirs.get_mut(&dir) {
            *n -= 1;
            if *n == 0 {
                self.dirs.remove(&dir);
                if let Some(d) = &mut self.debouncer {
                    let _ = d.unwatch(&dir);
                }
            }
        }
    }
}

/// Opens the file dialog on its own thread (the map stays interactive).
///
/// Where no dialog shows (no session bus, no portal answering, or a portal that fails at once,
/// which rfd reports as a cancel), the answer is an error: the window then offers a path field.
pub fn spawn_dialog(picked: impl Post<Result<Vec<PathBuf>, String>>) {
    use std::sync::atomic::{AtomicBool, Ordering};
    let answered = Arc::new(AtomicBool::new(false));
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        let (answered, picked) = (answered.clone(), picked.clone());
        let _ = std::thread::Builder::new()
            .name("dialog-wait".into())
            .spawn(move || {
                std::thread::sleep(DIALOG_WAIT);
                if !answered.load(Ordering::SeqCst) {
                    let e = format!(
                        "no file dialog answered within {} s (is xdg-desktop-portal running?)",
                        DIALOG_WAIT.as_secs()
                    );
                    picked(Err(e));
                }
            });
    }
    std::thread::spawn(move || {
        let asked = Instant::now();
        // rfd's xdg-portal backend talks to xdg-desktop-portal over the session bus.
        let result = if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
            Err(
                "no file dialog here (no desktop session bus for xdg-desktop-portal); \
                 drop files onto the window or name them on the command line"
                    .to_string(),
            )
        } else {
            let picked = std::panic::catch_unwind(|| {
                rfd::FileDialog::new()
                    .set_title("Open overlays")
                    .add_filter(
                        "GeoJSON or article",
                        &["geojson", "json", "txt", "md", "html", "htm"],
                    )
                    .add_filter("All files", &["*"])
                    .pick_files()
            });
            match picked {
                // No reader cancels a dialog this fast: it never showed.
                Ok(None) if asked.elapsed() < DIALOG_QUICK_FAIL => {
                    Err("the file dialog did not open (is xdg-desktop-portal running?)".to_string())
                }
                Ok(files) => Ok(files.unwrap_or_default()),
                Err(_) => Err("the file dialog failed (is xdg-desktop-portal running?)".into()),
            }
        };
        answered.store(true, Ordering::SeqCst);
        picked(result);
    });
}

/// The panels' widths, kept in `$XDG_CONFIG_HOME/borderlens/panels.json`.
pub fn load_panel_widths() -> Option<ui::PanelWidths> {
    let path = Recent::config_path()?.with_file_name("panels.json");
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

pub fn save_panel_widths(widths: ui::PanelWidths) {
    let Some(path) = Recent::config_path().map(|p| p.with_file_name("panels.json")) else {
        return;
    };
    let write = || -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec(&widths)?)?;
        std::fs::rename(tmp, &path)
    };
    if let Err(e) = write() {
        log::warn!(
            "cannot remember the panels' widths in {}: {e}",
            path.display()
        );
    }
}

/// Recently opened files, newest first, kept in `$XDG_CONFIG_HOME/borderlens/recent.json`.
pub struct Recent {
    pub files: Vec<PathBuf>,
    path: Option<PathBuf>,
}

impl Recent {
    const MAX: usize = 10;

    pub fn config_path() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
        Some(base.join("borderlens").join("recent.json"))
    }

    pub fn load() -> Recent {
        let path = Self::config_path();
        let files = path
            .as_ref()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|b| serde_json::from_slice::<Vec<PathBuf>>(&b).ok())
            .unwrap_or_default();
        Recent { files, path }
    }

    pub fn add(&mut self, file: &Path) {
        let file = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
        self.files.retain(|f| f != &file);
        self.files.insert(0, file);
        self.files.truncate(Self::MAX);
        self.save();
    }

    fn save(&self) {
        let Some(path) = &self.path else { return };
        let write = || -> std::io::Result<()> {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let tmp = path.with_extension("json.tmp");
            std::fs::write(&tmp, serde_json::to_vec_pretty(&self.files)?)?;
            std::fs::rename(tmp, path)
        };
        if let Err(e) = write() {
            log::warn!("cannot remember recent files in {}: {e}", path.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_opens_its_overlays_articles_and_saved_pages() {
        let dir = std::env::temp_dir().join(format!("borderlens-folder-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["a.geojson", "b.txt", "c.HTML", "d.htm", "e.png", "f.md"] {
            std::fs::write(dir.join(name), "x").unwrap();
        }
        let names: Vec<String> = folder_files(&dir)
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(names, ["a.geojson", "b.txt", "c.HTML", "d.htm", "f.md"]);
    }

    #[test]
    fn error_text_does_not_repeat_causes() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file");
        let e = anyhow::Error::new(crate::map::load::LoadError::Io {
            path: "a.geojson".into(),
            source: io,
        });
        assert_eq!(error_text(&e), "a.geojson: cannot read: No such file");
        let e = anyhow::anyhow!("inner").context("outer");
        assert_eq!(error_text(&e), "outer: inner");
    }

    #[test]
    fn a_fitted_view_is_as_the_window_fits_within_its_scale_limits() {
        let view = FirstView {
            camera: Camera::new([800, 400], 1.0),
            fit_px: [800.0, 400.0],
            scale_limits: [0.05, 50.0],
        };
        // 2,000 by 500 km: the width decides.
        let b = geo::Rect::new((0.0, 0.0), (2000.0, 500.0));
        assert_eq!(view.fit_scale(b), 0.4);
        // The world would need less than the limit allows.
        let world = geo::Rect::new((-20_000.0, -10_000.0), (20_000.0, 10_000.0));
        assert_eq!(view.fit_scale(world), 0.05);
    }

    #[test]
    fn watch_keys_are_canonical() {
        let dir = std::env::temp_dir();
        let a = watch_key(&dir.join("x.geojson")).unwrap();
        let b = watch_key(&dir.join(".").join("x.geojson")).unwrap();
        assert_eq!(a, b);
        assert!(a.is_absolute());
    }
}
