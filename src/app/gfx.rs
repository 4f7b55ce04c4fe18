//! The window's GPU side: instance, surface, device; one frame = the map (shared `Renderer`,
//! sRGB view) then egui over it (non-sRGB view, `LoadOp::Load`); optional readback of the frame.

use std::sync::Arc;

use anyhow::{anyhow, Context as _, Result};
use winit::event_loop::ActiveEventLoop;
use winit::window::Window;

use crate::gpu::cache::{Drawn, MapCache};
use crate::gpu::offscreen::Gpu;
use crate::gpu::{GpuLayer, Renderer};
use crate::map::camera::Camera;

pub struct Gfx {
    pub window: Arc<Window>,
    surface: wgpu::Surface<'static>,
    pub gpu: Gpu,
    config: wgpu::SurfaceConfiguration,
    /// Format of the view the map is drawn into (sRGB).
    map_format: wgpu::TextureFormat,
    /// Format of the view egui is drawn into (non-sRGB where the surface allows it).
    ui_format: wgpu::TextureFormat,
    pub renderer: Renderer,
    /// Draws the hovered and selected features over the map's image, with a camera of its
    /// own (the map's may be the image's, with a margin, in the same submission).
    highlighter: Renderer,
    pub egui: egui_wgpu::Renderer,
    /// The surface texture can be copied out (screenshots and frame dumps read the real frame).
    can_copy: bool,
    /// The last map image, shown again while the map has not changed (see `gpu::cache`).
    cache: MapCache,
    /// How the last frame got its map.
    pub last_map: MapSource,
    /// How many triangles a frame may draw of a map drawn over several frames.
    budget: FrameBudget,
}

/// How many triangles a frame can draw, learnt from the frames (see [`FrameBudget::observe`]).
#[derive(Debug, Clone, Default)]
pub struct FrameBudget {
    /// Triangles drawn per ms of a frame's map drawing; `None` until a slow draw was seen (a
    /// GPU draws any map within a frame, and then no map is split).
    triangles_per_ms: Option<f64>,
    /// What a frame costs besides drawing the map, ms (smoothed).
    other_ms: Option<f64>,
}

impl FrameBudget {
    /// Seeded for a software rasterizer, or learning from nothing.
    pub fn new(software: bool) -> FrameBudget {
        FrameBudget {
            triangles_per_ms: software.then_some(CPU_TRIANGLES_PER_MS),
            other_ms: None,
        }
    }

    /// Learns from a frame that took `frame_ms` and got its map from `source`, drawing
    /// `triangles`: frames that drew no map say what the rest of a frame costs; frames that
    /// drew a pass of a map, or a slow whole one, say how fast triangles draw here (smoothed,
    /// so that one hitch does not decide it).
    pub fn observe(&mut self, source: MapSource, triangles: u64, frame_ms: f64) {
        match source {
            MapSource::Cached | MapSource::Moved => {
                if frame_ms < 4.0 * REFINE_MS {
                    let o = self.other_ms.map_or(frame_ms, |o| 0.8 * o + 0.2 * frame_ms);
                    self.other_ms = Some(o);
                }
                return;
            }
            MapSource::Drawn if frame_ms > 2.0 * REFINE_MS && triangles >= RATE_MIN_TRIANGLES => {}
            MapSource::Refining | MapSource::Refined if triangles > 0 => {}
            _ => return,
        }
        // The map's share of the frame; at least a third, whatever the estimate of the rest.
        let map_ms = (frame_ms - self.other_ms.unwrap_or(0.0)).max(frame_ms / 3.0);
        let rate = triangles as f64 / map_ms.max(1.0);
        self.triangles_per_ms = Some(match self.triangles_per_ms {
            None => rate,
            Some(r) => 0.7 * r + 0.3 * rate.min(4.0 * r),
        });
    }

    /// Triangles a frame may draw of a map drawn over several frames (more while the user is
    /// `idle`); `None`: draw it whole.
    pub fn frame_triangles(&self, idle: bool) -> Option<u64> {
        let ms = if idle { REFINE_IDLE_MS } else { REFINE_MS };
        self.triangles_per_ms.map(|r| ((r * ms) as u64).max(10_000))
    }
}

pub use crate::gpu::cache::MapSource;

/// How long a frame may spend on a map drawn over several frames, ms (on lavapipe the rest of
/// such a frame takes about 35 ms: 11 frames a second).
const REFINE_MS: f64 = 50.0;
/// The same while the user is idle: the other work of a frame (35 ms on lavapipe) was 40 % on
/// top of the map's drawing at 50 ms a pass; input still gets an answer within 0.3 s.
const REFINE_IDLE_MS: f64 = 250.0;
/// Whole draws smaller than this say little about the rate (the frame's other work dominates).
const RATE_MIN_TRIANGLES: u64 = 200_000;
/// What a software rasterizer draws per ms, to start with (it is then measured).
const CPU_TRIANGLES_PER_MS: f64 = 2000.0;

/// What the map of a frame is, beside the camera.
pub struct MapFrame<'a> {
    pub layers: Vec<&'a GpuLayer>,
    /// The hovered and selected features, drawn over the map's image every frame and never in
    /// it: pointing at a feature does not draw a heavy map again (on a software rasterizer
    /// that took over several frames, restarted by each move of the pointer).
    pub highlights: Vec<&'a GpuLayer>,
    /// Hash of the layers' state (`GpuLayer::fingerprint`): equal means the same pixels.
    pub fingerprint: u64,
    /// The cached image may be shown moved and scaled to the camera instead of drawing the map.
    pub may_move_cache: bool,
    /// A map too heavy for one frame may be drawn over several (see `gpu::cache`).
    pub progressive: bool,
    /// A view that is part of the cached image (a pan within its margin) may show that part
    /// (not when timing whole draws).
    pub may_reuse: bool,
    /// The user is not interacting: such a map may take longer passes (fewer frames' worth
    /// of other work), and still answers input within a fraction of a second.
    pub idle: bool,
}

/// What a frame drew, for the caller to act on.
pub enum FrameOutcome {
    Presented(Option<image::RgbaImage>),
    /// The surface was lost or outdated and was reconfigured; draw again.
    Retry,
    /// Nothing to draw into now (minimised, timeout).
    Skipped,
}

impl Gfx {
    pub fn new(event_loop: &ActiveEventLoop, window: Arc<Window>) -> Result<Gfx> {
        let mut found = Err(anyhow!("no graphics backend to try"));
        for backends in crate::gpu::offscreen::backend_choices() {
            let mut desc = wgpu::InstanceDescriptor::new_with_display_handle(Box::new(
                event_loop.owned_display_handle(),
            ))
            .with_env();
            desc.backends = backends;
            let instance = wgpu::Instance::new(desc);
            let surface = instance
                .create_surface(window.clone())
                .context("cannot create a drawing surface for the window")?;
            let adapter =
                pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
                    power_preference: wgpu::PowerPreference::HighPerformance,
                    force_fallback_adapter: false,
                    compatible_surface: Some(&surface),
                    apply_limit_buckets: false,
                }));
            found = adapter.map(|a| (a, surface)).map_err(|e| {
                anyhow!(
                    "no graphics adapter can draw into the window (install a Vulkan driver; for \
                     software rendering: apt-get install mesa-vulkan-drivers): {e}"
                )
            });
            if found.is_ok() {
                break;
            }
        }
        let (adapter, surface) = found?;
        let gpu = Gpu::from_adapter(adapter)?;
        let software = gpu.adapter.get_info().device_type == wgpu::DeviceType::Cpu;
        let caps = surface.get_capabilities(&gpu.adapter);
        if caps.formats.is_empty() {
            return Err(anyhow!(
                "the graphics adapter {} cannot present to this window",
                gpu.describe()
            ));
        }
        let view_formats_ok = gpu
            .adapter
            .get_downlevel_capabilities()
            .flags
            .contains(wgpu::DownlevelFlags::SURFACE_VIEW_FORMATS);
        // Vulkan: a non-sRGB surface (for egui) with an sRGB view (for the map). GL: an sRGB surface.
        let plain = caps.formats.iter().copied().find(|f| {
            matches!(
                f,
                wgpu::TextureFormat::Bgra8Unorm | wgpu::TextureFormat::Rgba8Unorm
            )
        });
        let (format, map_format, ui_format, view_formats) = match plain {
            Some(f) if view_formats_ok => {
                let srgb = f.add_srgb_suffix();
                (f, srgb, f, vec![srgb])
            }
            _ => {
                let f = caps
                    .formats
                    .iter()
                    .copied()
                    .find(|f| f.is_srgb())
                    .unwrap_or(caps.formats[0]);
                (f, f, f, vec![])
            }
        };
        let can_copy = caps.usages.contains(wgpu::TextureUsages::COPY_SRC);
        // The cached map is copied in where the surface allows it (cheaper than sampling it).
        let copy_in = caps.usages & wgpu::TextureUsages::COPY_DST;
        let size = window.inner_size();
        let config = wgpu::SurfaceConfiguration {
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT
                | copy_in
                | if can_copy {
                    wgpu::TextureUsages::COPY_SRC
                } else {
                    wgpu::TextureUsages::empty()
                },
            format,
            color_space: Default::default(),
            width: size.width.max(1),
            height: size.height.max(1),
            present_mode: wgpu::PresentMode::Fifo,
            desired_maximum_frame_latency: 2,
            alpha_mode: caps.alpha_modes[0],
            view_formats,
        };
        surface.configure(&gpu.device, &config);
        let renderer = Renderer::new(&gpu.device, map_format);
        let cache = MapCache::new(&gpu.device, map_format);
        let egui = egui_wgpu::Renderer::new(
            &gpu.device,
            ui_format,
            egui_wgpu::RendererOptions {
                msaa_samples: 1,
                depth_stencil_format: None,
                dithering: true,
                predictable_texture_filtering: false,
            },
        );
        log::info!(
            "window drawing on {} ({:?}, map {:?}, ui {:?}, copy {})",
            gpu.describe(),
            format,
            map_format,
            ui_format,
            can_copy
        );
        let highlighter = renderer.for_thread(&gpu.device);
        Ok(Gfx {
            window,
            surface,
            gpu,
            config,
            map_format,
            ui_format,
            renderer,
            highlighter,
            egui,
            can_copy,
            cache,
            last_map: MapSource::Drawn,
            budget: FrameBudget::new(software),
        })
    }

    /// Learns from a frame that took `frame_ms` (see [`FrameBudget::observe`]).
    pub fn frame_took(&mut self, frame_ms: f64) {
        self.budget
            .observe(self.last_map, self.cache.drawn_triangles, frame_ms);
    }

    pub fn describe(&self) -> String {
        format!("{}, {:?}", self.gpu.describe(), self.config.format)
    }

    pub fn size(&self) -> [u32; 2] {
        [self.config.width, self.config.height]
    }

    pub fn max_texture_side(&self) -> usize {
        self.gpu.device.limits().max_texture_dimension_2d as usize
    }

    pub fn resize(&mut self, size: [u32; 2]) {
        let size = [size[0].max(1), size[1].max(1)];
        if size != self.size() {
            self.config.width = size[0];
            self.config.height = size[1];
            self.surface.configure(&self.gpu.device, &self.config);
        }
    }

    /// Draws one frame: the map with `camera`, then egui's `jobs`. With `read_back`, the frame's
    /// pixels come back as RGBA (the whole window, UI included) when the surface allows copies.
    pub fn frame(
        &mut self,
        camera: &Camera,
        map: &MapFrame,
        jobs: &[egui::ClippedPrimitive],
        textures: &mut egui::TexturesDelta,
        pixels_per_point: f32,
        read_back: bool,
    ) -> FrameOutcome {
        // egui's texture changes apply whether or not this frame is drawn.
        for (id, deltas) in textures.set.drain() {
            for delta in &deltas {
                self.egui
                    .update_texture(&self.gpu.device, &self.gpu.queue, id, delta);
            }
        }
        let outcome = self.draw(camera, map, jobs, pixels_per_point, read_back);
        for id in textures.free.drain() {
            self.egui.free_texture(&id);
        }
        outcome
    }

    fn draw(
        &mut self,
        camera: &Camera,
        map: &MapFrame,
        jobs: &[egui::ClippedPrimitive],
        pixels_per_point: f32,
        read_back: bool,
    ) -> FrameOutcome {
        let t0 = std::time::Instant::now();
        let frame = match self.surface.get_current_texture() {
            wgpu::CurrentSurfaceTexture::Success(t) => t,
            wgpu::CurrentSurfaceTexture::Suboptimal(t) => {
                // Draw this one; reconfigure before the next.
                self.surface.configure(&self.gpu.device, &self.config);
                t
            }
            wgpu::CurrentSurfaceTexture::Outdated | wgpu::CurrentSurfaceTexture::Lost => {
                self.surface.configure(&self.gpu.device, &self.config);
                return FrameOutcome::Retry;
            }
            wgpu::CurrentSurfaceTexture::Timeout
            | wgpu::CurrentSurfaceTexture::Occluded
            | wgpu::CurrentSurfaceTexture::Validation => return FrameOutcome::Skipped,
        };
        let tex_size = [frame.texture.width(), frame.texture.height()];
        let mut camera = *camera;
        if camera.size != tex_size {
            camera.size = tex_size;
        }
        let map_view = frame.texture.create_view(&wgpu::TextureViewDescriptor {
            format: Some(self.map_format),
            ..Default::default()
        });
        let ui_view = frame.texture.create_view(&wgpu::TextureViewDescriptor {
            format: Some(self.ui_format),
            ..Default::default()
        });
        let mut encoder = self
            .gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("frame"),
            });
        let screen = egui_wgpu::ScreenDescriptor {
            size_in_pixels: tex_size,
            pixels_per_point,
        };
        let extra = self.egui.update_buffers(
            &self.gpu.device,
            &self.gpu.queue,
            &mut encoder,
            jobs,
            &screen,
        );
        self.update_map(&mut encoder, &camera, map);
        self.compose(
            &mut encoder,
            (&frame.texture, &map_view),
            &ui_view,
            &camera,
            &map.highlights,
            jobs,
            &screen,
        );
        let device = &self.gpu.device;
        let readback = if !read_back {
            None
        } else if self.can_copy {
            let rb = crate::gpu::offscreen::Readback::new(device, tex_size, self.config.format);
            rb.copy(&mut encoder, &frame.texture);
            Some(rb)
        } else {
            // The surface cannot be copied (GL): draw the same frame once more into a texture.
            let mut view_formats = vec![self.map_format];
            if self.ui_format != self.map_format {
                view_formats.push(self.ui_format);
            }
            let texture = crate::gpu::texture_2d(
                device,
                "frame copy",
                tex_size,
                self.config.format,
                wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
                &view_formats,
            );
            let view = |f| {
                texture.create_view(&wgpu::TextureViewDescriptor {
                    format: Some(f),
                    ..Default::default()
                })
            };
            let (mv, uv) = (view(self.map_format), view(self.ui_format));
            // The same picture again: the map image is up to date already.
            self.compose(
                &mut encoder,
                (&texture, &mv),
                &uv,
                &camera,
                &map.highlights,
                jobs,
                &screen,
            );
            let rb = crate::gpu::offscreen::Readback::new(
                &self.gpu.device,
                tex_size,
                self.config.format,
            );
            rb.copy(&mut encoder, &texture);
            Some(rb)
        };
        let device = &self.gpu.device;
        let queue = &self.gpu.queue;
        let t1 = t0.elapsed();
        queue.submit(extra.into_iter().chain([encoder.finish()]));
        let t2 = t0.elapsed();
        queue.present(frame);
        let t3 = t0.elapsed();
        log::trace!(
            "acquire+encode {:?}, submit {:?}, present {:?}",
            t1,
            t2 - t1,
            t3 - t2
        );
        let image = readback.and_then(|rb| match rb.read(device) {
            Ok(mut img) => {
                // The window is opaque whatever alpha the UI left.
                img.pixels_mut().for_each(|p| p[3] = 255);
                Some(img)
            }
            Err(e) => {
                log::warn!("frame readback failed: {e}");
                None
            }
        });
        FrameOutcome::Presented(image)
    }
}

impl Gfx {
    /// Triangles the last frame drew of the map (none when it showed the cached image).
    pub fn drawn_triangles(&self) -> u64 {
        self.cache.drawn_triangles
    }

    /// Brings the cached map image up to date for a frame (see `MapCache::update`).
    fn update_map(&mut self, encoder: &mut wgpu::CommandEncoder, camera: &Camera, map: &MapFrame) {
        let want = Drawn {
            camera: *camera,
            fingerprint: map.fingerprint,
        };
        let budget = if map.progressive {
            self.budget.frame_triangles(map.idle)
        } else {
            None
        };
        self.last_map = self.cache.update(
            &self.gpu.device,
            &self.gpu.queue,
            encoder,
            &mut self.renderer,
            &map.layers,
            &want,
            (map.may_move_cache, map.may_reuse),
            budget,
        );
    }

    /// The cached map as `camera` sees it into `map_view`, the highlights over it, then egui
    /// over both into `ui_view` (two views of one texture).
    #[allow(clippy::too_many_arguments)]
    fn compose(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        map_target: (&wgpu::Texture, &wgpu::TextureView),
        ui_view: &wgpu::TextureView,
        camera: &Camera,
        highlights: &[&GpuLayer],
        jobs: &[egui::ClippedPrimitive],
        screen: &egui_wgpu::ScreenDescriptor,
    ) {
        self.cache.show(
            &self.gpu.queue,
            encoder,
            map_target,
            camera,
            self.renderer.background,
        );
        if !highlights.is_empty() {
            let h = &self.highlighter;
            for pass in h.passes(camera, highlights, 1 << 30) {
                h.render_pass(
                    &self.gpu.queue,
                    encoder,
                    map_target.1,
                    camera,
                    highlights,
                    &pass,
                    false,
                );
            }
        }
        crate::gpu::offscreen::draw_egui(encoder, ui_view, &self.egui, jobs, screen);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_budget_follows_the_drawing_rate() {
        // A GPU: nothing learnt, nothing split.
        let mut gpu = FrameBudget::new(false);
        gpu.observe(MapSource::Drawn, 5_000_000, 8.0);
        assert_eq!(gpu.frame_triangles(false), None);
        assert_eq!(gpu.frame_triangles(true), None);
        // A software rasterizer drawing 3,000 triangles per ms, with 35 ms of other work.
        let mut b = FrameBudget::new(true);
        for _ in 0..10 {
            b.observe(MapSource::Moved, 0, 35.0);
        }
        b.observe(MapSource::Drawn, 3_000_000, 1035.0);
        for _ in 0..30 {
            let n = b.frame_triangles(false).unwrap();
            b.observe(MapSource::Refining, n, 35.0 + n as f64 / 3000.0);
        }
        let n = b.frame_triangles(false).unwrap() as f64;
        assert!((n / (3000.0 * REFINE_MS) - 1.0).abs() < 0.05, "{n}");
        // The user idle: passes as much longer as their time.
        let idle = b.frame_triangles(true).unwrap() as f64;
        assert!(
            (idle / n - REFINE_IDLE_MS / REFINE_MS).abs() < 1e-3,
            "{idle} against {n}"
        );
        // One frame held up for a second moves it by a third at most; it recovers.
        b.observe(MapSource::Refining, n as u64, 1000.0);
        let after = b.frame_triangles(false).unwrap() as f64;
        assert!(after > 0.65 * n, "{after} after {n}");
        for _ in 0..20 {
            let m = b.frame_triangles(false).unwrap();
            b.observe(MapSource::Refining, m, 35.0 + m as f64 / 3000.0);
        }
        let back = b.frame_triangles(false).unwrap() as f64;
        assert!((back / n - 1.0).abs() < 0.05, "{back} against {n}");
    }
}
