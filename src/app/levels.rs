//! A heavy layer's levels of detail and images, made off the window's thread as its views
//! need them: a level on the load pool (`lod`), an image (`gpu::raster`) on a thread of its own,
//! drawn from a kept level or streamed from the geometry.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use geo::{Geometry, Rect};

use super::threads::{load_pool, return_freed_memory};
use super::yielding::InputClock;
use crate::gpu::{GpuLayer, Uploader};
use crate::map::layer::MapLayer;
use crate::map::lod;
use crate::mesh::tessellate::Mesh;
use crate::mesh::vertex::FeatureStyle;

/// What a loading thread needs to draw a layer's image.
pub struct ImageJob {
    /// The layer's level, with a state of its own (`Uploader::share`); a streamed level's
    /// holds no mesh: its batches are tessellated into it.
    pub layer: GpuLayer,
    /// For a streamed level: what it is drawn from.
    pub streamed: Option<Streamed>,
    pub camera: crate::map::camera::Camera,
    pub key: u64,
    /// The sides where the image stops short of the layer (`gpu::raster::image_camera`).
    pub clipped: [bool; 4],
    pub renderer: crate::gpu::Renderer,
    pub queue: wgpu::Queue,
    pub uploader: Uploader,
    /// Set when the view no longer wants it (the image stops at its next render pass).
    pub cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// The window's input: each render pass waits while the user interacts (`yielding`).
    pub input: InputClock,
    /// Counts the image's render passes (one submission each) that waited for it.
    pub held: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

/// A streamed level's source: the layer's geometry (shared), styles and tolerance.
pub struct Streamed {
    pub projected: std::sync::Arc<Vec<Option<geo::Geometry<f64>>>>,
    pub styles: Vec<crate::mesh::vertex::FeatureStyle>,
    pub tolerance_km: f64,
    /// The level's tolerance as the layer picks its levels (`Layer::drawn`): what a failed
    /// image is recorded against, so that its stand-in then counts as the best there is.
    pub level_km: f64,
}

/// A layer's image, made on a loading thread: a layer to draw in its level's place.
pub struct ImageMade {
    pub uid: u64,
    pub result: Result<GpuLayer, crate::gpu::GpuError>,
    /// The streamed level's tolerance ([`Streamed::level_km`]), when it was one.
    pub streamed_km: Option<f64>,
    /// Features the tessellator skipped while streaming.
    pub skipped: Vec<(u32, String)>,
    pub took: Duration,
}

/// Draws a layer's image on a thread of its own and hands it to `done` (the window's event).
pub fn spawn_image(done: impl FnOnce(ImageMade) + Send + 'static, uid: u64, job: ImageJob) {
    // A thread of its own at the window's priority, not the load pool's: it mostly waits on
    // the rasterizer, and a submission that waits for a lower-priority thread to be scheduled
    // leaves the rasterizer idle (the tessellation it waits for runs on the shared pool).
    let _ = std::thread::Builder::new()
        .name("image".into())
        .spawn(move || {
            let started = Instant::now();
            let ImageJob {
                mut layer,
                streamed,
                camera,
                key,
                clipped,
                mut renderer,
                queue,
                uploader,
                cancel,
                input,
                held,
            } = job;
            let streamed_km = streamed.as_ref().map(|s| s.level_km);
            let mut skipped = Vec::new();
            // Before each submission: the user's input first, then whether it is still wanted.
            // Only a streamed level's image yields (frames meanwhile draw its light stand-in):
            // a kept level's is one submission, and a first turn never waits.
            let mut go_on = |last_draw| {
                let stopped = || cancel.load(Ordering::Relaxed);
                if input.wait_turn(last_draw, stopped) {
                    held.fetch_add(1, Ordering::Relaxed);
                }
                !stopped()
            };
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                if crate::hooks::is_set("BORDERLENS_IMAGE_FAIL") {
                    // For tests: every image fails, as one the device cannot draw.
                    return Err(crate::gpu::GpuError::Device("BORDERLENS_IMAGE_FAIL".into()));
                }
                let device = uploader.device();
                let image = match &streamed {
                    Some(s) => {
                        let inputs = crate::map::layer::tess_inputs(&s.projected, &s.styles);
                        renderer
                            .stream_image(
                                device,
                                &queue,
                                &mut layer,
                                crate::gpu::raster::StreamSource {
                                    inputs: &inputs,
                                    styles: &s.styles,
                                    tolerance_km: s.tolerance_km,
                                    batch_vertices: crate::gpu::raster::stream_vertices(),
                                    order: crate::gpu::raster::default_order(),
                                    precise: false,
                                },
                                camera,
                                key,
                                clipped,
                                &mut go_on,
                            )
                            .map(|(image, streamed)| {
                                skipped = streamed.skipped;
                                image
                            })
                    }
                    None => renderer
                        .draw_image(device, &queue, &layer, camera, key, clipped, &mut go_on),
                };
                image.and_then(|image| uploader.image_layer(image))
            }))
            .unwrap_or_else(|_| {
                Err(crate::gpu::GpuError::Device(
                    "drawing a layer image crashed".into(),
                ))
            });

            let streamed = streamed_km.is_some();
            done(ImageMade {
                uid,
                result,
                streamed_km,
                skipped,
                took: started.elapsed(),
            });
            // The streamed batches are freed (after the image is on its way: trimming takes
            // a while).
            if streamed {
                return_freed_memory();
            }
        });
}

/// A level asked of the load pool and not back yet, with the flag that stops it before it
/// starts once the view has moved on (see `Layer::cancel_stale_levels`), or once the ask is
/// dropped (its layer removed, reloaded or re-projected).
pub struct Asked {
    pub want: lod::Want,
    pub cancel: Arc<AtomicBool>,
}

impl Drop for Asked {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// A level of detail made on a loading thread for a layer already shown.
pub struct LevelMade {
    /// The layer's `uid` (gone when it was removed, reloaded or re-projected meanwhile).
    pub uid: u64,
    /// What was asked for.
    pub want: lod::Want,
    /// The level, whether it is streamed (its mesh empty, see `lod::HOLD_VERTICES`), and the
    /// part of the layer it holds (`None`: all of it).
    pub result: Result<(GpuLayer, bool, Option<Rect<f64>>), String>,
    pub took: Duration,
    /// No longer wanted (the view moved on): stopped before it was made, or made meanwhile;
    /// dropped either way, but the window hears of it and looks again at what its view needs.
    pub cancelled: bool,
}

/// Makes a heavy layer's level on the load pool from its shared geometry and a copy of its
/// styles, and hands it to `done` (the window's event): of the part `want` asks for, or of the
/// whole layer when that part holds more than half its vertices (a part saves little there,
/// and pans would make it again). A level whose `cancel` is set before its turn comes is not
/// made: asks queued behind a pan leave the pool to the view's own.
pub fn spawn_level(
    done: impl FnOnce(LevelMade) + Send + 'static,
    uid: u64,
    layer: &MapLayer,
    want: lod::Want,
    cancel: Arc<AtomicBool>,
    uploader: Uploader,
) {
    let projected = layer.projected.clone();
    let styles = layer.styles.clone();
    let name = layer.name.clone();
    let tolerance_km = want.tolerance_km;
    load_pool().spawn(move || {
        if let Some(d) = level_delay() {
            std::thread::sleep(d);
        }
        if cancel.load(Ordering::Relaxed) {
            log::info!("{name}: level {tolerance_km} km not made: the view moved on");
            return done(LevelMade {
                uid,
                want,
                result: Err(format!("{name}: not made")),
                took: Duration::ZERO,
                cancelled: true,
            });
        }
        let started = Instant::now();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            // Too heavy to keep: only its state; its views are drawn into images.
            if lod::is_streamed(&projected, tolerance_km) {
                return uploader
                    .upload(&Mesh::default(), &styles)
                    .map(|mesh| (mesh, true, None))
                    .map_err(|e| format!("{name}: {e}"));
            }
            let part = lod::part_worth_making(&projected, want.covers);
            let parts = part.as_ref().map(|p| &p.0[..]);
            upload_level(&uploader, &projected, &styles, tolerance_km, parts)
                .map(|(mesh, _)| (mesh, false, part.map(|p| p.1)))
                .map_err(|e| format!("{name}: {e}"))
        }))
        .unwrap_or_else(|_| Err(format!("{name}: making a level of detail crashed")));
        log::info!(
            "{name}: level {tolerance_km} km ({}) made in {:?}",
            match &result {
                Ok((_, _, Some(c))) => format!("part {:.0}×{:.0} km", c.width(), c.height()),
                _ => "whole".to_string(),
            },
            started.elapsed()
        );
        done(LevelMade {
            uid,
            want,
            result,
            took: started.elapsed(),
            cancelled: cancel.load(Ordering::Relaxed),
        });
        // The level's tessellated batches are freed (after it is on its way).
        // 9-43 ms on the world file's levels: once a level, on this thread.
        return_freed_memory();
    });
}

/// A kept level of a layer's geometry at `tolerance_km`, tessellated and uploaded a batch at a
/// time: of the whole layer, or of the part `parts` (`lod::part_worth_making`), chunked and
/// stacked as the whole layer. The level, and the features it skipped.
pub fn upload_level(
    up: &Uploader,
    projected: &[Option<Geometry<f64>>],
    styles: &[FeatureStyle],
    tolerance_km: f64,
    parts: Option<&[Option<Geometry<f64>>]>,
) -> Result<(GpuLayer, Vec<(u32, String)>), crate::gpu::GpuError> {
    let whole = crate::map::layer::tess_inputs(projected, styles);
    match parts {
        Some(parts) => {
            let inputs = crate::mesh::input::part_inputs(&whole, parts);
            up.tessellate_upload_as(&inputs, &whole, tolerance_km, styles)
        }
        None => up.tessellate_upload(&whole, tolerance_km, styles),
    }
}

/// Test hook: each level waits this long on its loading thread before it starts
/// (`BORDERLENS_LEVEL_DELAY_MS`), so that a window test can move the view on meanwhile.
fn level_delay() -> Option<Duration> {
    static DELAY: OnceLock<Option<Duration>> = OnceLock::new();
    *DELAY.get_or_init(|| crate::hooks::millis("BORDERLENS_LEVEL_DELAY_MS"))
}
