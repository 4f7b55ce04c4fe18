//! Raster levels of detail: a heavy layer drawn once, alone, into an image at a view's scale,
//! then drawn from that image (one full-screen triangle) for as long as views keep that scale
//! and a whole-pixel offset. The image holds what the layer's own triangles would blend
//! (premultiplied), so it composites over the layers below as they would have (to a unit of
//! rounding): what a frame draws is bounded by the screen, not by the file. Made on a loading
//! thread: a kept level's image in one submission (frames draw the level meanwhile), a
//! streamed level's a render pass per submission, each asking its turn (frames draw a light
//! stand-in meanwhile, and wait behind one pass at most).

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use wgpu::util::DeviceExt;

use rayon::prelude::*;

use super::{GpuError, GpuLayer, Renderer};
use crate::map::camera::Camera;
use crate::mesh::cover::Cover;
use crate::mesh::input::TessInput;
use crate::mesh::order::Order;
use crate::mesh::stream::Streamed;
use crate::mesh::vertex::FeatureStyle;
use crate::rect::RectExt;

/// The order streamed layers are drawn in (`mesh::order::Order`): front to back where the view
/// is dense, unless `BORDERLENS_BACK_TO_FRONT` is set (to compare the two).
pub fn default_order() -> Order {
    static BACK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *BACK.get_or_init(|| crate::hooks::is_set("BORDERLENS_BACK_TO_FRONT")) {
        Order::BackToFront
    } else {
        Order::FrontToBackWhenDense
    }
}

/// What a streamed image is drawn from, and how.
#[derive(Clone, Copy)]
pub struct StreamSource<'a> {
    pub inputs: &'a [TessInput<'a>],
    /// The layer's style table (the cover needs to know what is opaque).
    pub styles: &'a [FeatureStyle],
    /// Lines and rings simplified to this, km.
    pub tolerance_km: f64,
    /// Input vertices a batch ([`stream_vertices`] in the window).
    pub batch_vertices: usize,
    /// Back to front, or front to back without what later triangles hide (`mesh::cover`;
    /// [`default_order`]).
    pub order: Order,
    /// Front to back into an image of 16-bit floats rather than 8-bit sRGB: blended front to
    /// back, each layer's rounding stays in the picture (back to front it fades under the
    /// layers above), up to 7/255 where tens of translucent fills overlap. Twice the image's
    /// memory: for `render`'s picture, not the window's.
    pub precise: bool,
}

/// Triangles a render pass of a layer image draws at most.
const PASS_TRIANGLES: u32 = 250_000;

/// [`PASS_TRIANGLES`], or `BORDERLENS_PASS_TRIANGLES` (tests draw a small file's image in
/// several passes).
fn pass_triangles() -> u32 {
    static PASS: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *PASS
        .get_or_init(|| crate::hooks::number("BORDERLENS_PASS_TRIANGLES").unwrap_or(PASS_TRIANGLES))
}

/// Input vertices tessellated a batch at a time into an image. A batch's mesh stays on the
/// device until its pass is drawn, and on lavapipe the device's pages are the process's RAM:
/// batches of 65,536 keep a 100 MB file's viewer under 3× the file (262,144: 3.4-3.6×), for
/// no later exact map once the allocator keeps its heap (`app::threads`), BENCHMARKS.md round 16.
const STREAM_VERTICES: usize = 64 * 1024;

/// [`STREAM_VERTICES`], or `BORDERLENS_STREAM_VERTICES` (to measure other batch sizes).
pub fn stream_vertices() -> usize {
    static BATCH: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *BATCH.get_or_init(|| {
        crate::hooks::number("BORDERLENS_STREAM_VERTICES").unwrap_or(STREAM_VERTICES)
    })
}

/// Layers whose level draws more triangles than this in a view at rest get an image (on
/// lavapipe a million take about a fifth of a second; the image, a full-screen triangle).
pub const IMAGE_ABOVE_TRIANGLES: u64 = 1_000_000;

/// [`IMAGE_ABOVE_TRIANGLES`], or `BORDERLENS_IMAGE_ABOVE` (tests give small files images).
pub fn image_above() -> u64 {
    static ABOVE: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *ABOVE.get_or_init(|| {
        crate::hooks::number("BORDERLENS_IMAGE_ABOVE").unwrap_or(IMAGE_ABOVE_TRIANGLES)
    })
}

/// Which features reach a view of `camera`: their `boxes` (`mesh::input::boxes`), widened by
/// `reach_px` (logical px, `GpuLayer::reach_px`) for strokes and markers, meet it. Streaming
/// culls by feature with this (its runs of the file's order span the layer, so a chunk's box
/// culls little).
pub fn reaching(boxes: &[Option<geo::Rect<f64>>], camera: &Camera, reach_px: f32) -> Vec<bool> {
    let reach_km = (reach_px * camera.pixel_ratio) as f64 / camera.scale;
    let area = camera.visible_world().padded(reach_km + 1.0 / camera.scale);
    boxes
        .par_iter()
        .map(|b| b.is_some_and(|b| geo::Intersects::intersects(&b, &area)))
        .collect()
}

/// Two scales equal but for rounding: an image drawn at one serves views at the other.
pub fn same_scale(a: f64, b: f64) -> bool {
    (a / b - 1.0).abs() < 1e-12
}

/// `BORDERLENS_IMAGE_BATCH_DELAY_MS=N`: a streamed image waits N ms before each batch. For
/// tests, so that a view can move while an image is still being made, whatever the machine.
fn batch_delay() -> Option<std::time::Duration> {
    static DELAY: std::sync::OnceLock<Option<std::time::Duration>> = std::sync::OnceLock::new();
    *DELAY.get_or_init(|| crate::hooks::millis("BORDERLENS_IMAGE_BATCH_DELAY_MS"))
}

/// How far around the view a layer's image reaches, in view widths and heights: pans that
/// stay within it show the image moved, exact. Zoomed in on a heavy layer, drawing its image
/// costs its pixels: a quarter, against half a view, took the exact map after a jump of a
/// view's width from 411-445 ms to 293-306 ms on a 100 MB file, and the slowest frame while
/// the image was made from 187-207 ms to 113-118 ms (BENCHMARKS.md).
const IMAGE_MARGIN: f64 = 0.25;

/// The camera to draw a layer's image with for a view: the view's scale and pixel grid, over
/// the layer's `bounds` (world km, padded by `reach_px` physical px for strokes and markers)
/// within [`IMAGE_MARGIN`] around the view. The sides (left, top, right, bottom) where it stops
/// short of the layer.
pub fn image_camera(view: &Camera, bounds: geo::Rect<f64>, reach_px: f64) -> (Camera, [bool; 4]) {
    let tl = view.world_to_screen([bounds.min().x, bounds.max().y]);
    let br = view.world_to_screen([bounds.max().x, bounds.min().y]);
    let (w, h) = (view.size[0] as f64, view.size[1] as f64);
    let want = [
        tl[0] - reach_px,
        tl[1] - reach_px,
        br[0] + reach_px,
        br[1] + reach_px,
    ];
    let x0 = want[0].max(-IMAGE_MARGIN * w).floor();
    let y0 = want[1].max(-IMAGE_MARGIN * h).floor();
    let x1 = want[2].min((1.0 + IMAGE_MARGIN) * w).ceil().max(x0 + 1.0);
    let y1 = want[3].min((1.0 + IMAGE_MARGIN) * h).ceil().max(y0 + 1.0);
    let clipped = [x0 > want[0], y0 > want[1], x1 < want[2], y1 < want[3]];
    let mut c = *view;
    c.size = [(x1 - x0) as u32, (y1 - y0) as u32];
    c.center = view.screen_to_world([(x0 + x1) / 2.0, (y0 + y1) / 2.0]);
    (c, clipped)
}

/// The image pipeline and its bind group layout (one per renderer).
#[derive(Clone)]
pub(super) struct ImagePipeline {
    pub pipeline: wgpu::RenderPipeline,
    pub layout: wgpu::BindGroupLayout,
}

/// The `Placement` uniform of `shaders/image.wgsl` (a test checks the sizes agree).
#[repr(C)]
#[derive(Debug, Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
pub struct Placement {
    pub origin: [f32; 2],
    pub size: [f32; 2],
}

impl ImagePipeline {
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> ImagePipeline {
        let shader = super::shaders::module(device, "image", super::shaders::image_source());
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("layer image"),
            entries: &[
                super::shaders::uniform_entry(0, wgpu::ShaderStages::FRAGMENT),
                super::shaders::texture_entry(1, false),
            ],
        });
        // As the map's own triangles blend: the image is premultiplied.
        let pipeline = super::shaders::fullscreen_pipeline(
            device,
            "layer image",
            &shader,
            &layout,
            format,
            Some(wgpu::BlendState::PREMULTIPLIED_ALPHA_BLENDING),
        );
        ImagePipeline { pipeline, layout }
    }
}

/// A layer drawn into an image at one scale.
pub struct LayerImage {
    /// The camera it was drawn with: its scale, pixel grid and extent (`size`).
    pub camera: Camera,
    /// What it shows: the caller's key of the layer's mesh and state.
    pub key: u64,
    /// The sides (left, top, right, bottom) where it stops short of the layer: a view may not
    /// reach past those.
    pub clipped: [bool; 4],
    pub(super) bind_group: wgpu::BindGroup,
    pub(super) placement: wgpu::Buffer,
}

impl LayerImage {
    /// Where the image's top-left pixel lies on a view of `camera`, when the view sees it pixel
    /// for pixel (the same scale, a whole-pixel offset).
    pub fn origin_on(&self, camera: &Camera) -> Option<[f64; 2]> {
        let o = origin(&self.camera, camera)?;
        let whole = o.map(f64::round);
        (0..2)
            .all(|i| (o[i] - whole[i]).abs() < 1e-3)
            .then_some(whole)
    }

    /// It shows the layer for a view of `camera` as the layer's triangles would: pixel for
    /// pixel, and all of the layer that view shows.
    pub fn shows(&self, camera: &Camera) -> bool {
        let Some(o) = self.origin_on(camera) else {
            return false;
        };
        covers(o, self.camera.size, self.clipped, camera.size)
    }
}

/// Whether an image drawn with `image` (stopping short of the layer on its `clipped` sides)
/// would hold all of the layer a view of `view` shows, whole pixels or not: an image still
/// being made that would not is of no use to that view.
pub fn reaches(image: &Camera, clipped: [bool; 4], view: &Camera) -> bool {
    origin(image, view).is_some_and(|o| covers(o, image.size, clipped, view.size))
}

/// Where the top-left pixel of an image drawn with `image` lies on a view of `view`, when both
/// have the same scale and pixel ratio (in fractions of a pixel).
fn origin(image: &Camera, view: &Camera) -> Option<[f64; 2]> {
    (image.pixel_ratio == view.pixel_ratio && same_scale(image.scale, view.scale))
        .then(|| view.world_to_screen(image.screen_to_world([0.0, 0.0])))
}

/// An image of `size` px at `o` on a view of `view` px, stopping short of the layer on its
/// `clipped` sides, holds all of the layer the view shows: the view does not reach past those.
fn covers(o: [f64; 2], size: [u32; 2], clipped: [bool; 4], view: [u32; 2]) -> bool {
    let [left, top, right, bottom] = clipped;
    let end = [o[0] + size[0] as f64, o[1] + size[1] as f64];
    (!left || o[0] <= 0.0)
        && (!top || o[1] <= 0.0)
        && (!right || end[0] >= view[0] as f64)
        && (!bottom || end[1] >= view[1] as f64)
}

impl Renderer {
    /// A renderer for another thread, with the same pipelines and a camera of its own; it
    /// clears to transparent (for layer images).
    pub fn for_thread(&self, device: &wgpu::Device) -> Renderer {
        let (camera_buffer, camera_bind_group) = super::camera_binding(device, &self.camera_layout);
        Renderer {
            pipelines: self.pipelines.clone(),
            under: self.under.clone(),
            under_on: false,
            shader: self.shader.clone(),
            layout: self.layout.clone(),
            camera_buffer,
            camera_bind_group,
            camera_layout: self.camera_layout.clone(),
            layer_layout: self.layer_layout.clone(),
            image: self.image.clone(),
            format: self.format,
            background: wgpu::Color::TRANSPARENT,
        }
    }

    /// Draws a kept level, `layer`, alone into a new image with `camera` (on a loading thread),
    /// for a layer that shows it: after one turn of `go_on` (as for
    /// [`Renderer::stream_image`]), all its passes in one submission. Until the image is in,
    /// every frame of the window draws that level itself (over a million triangles, or it
    /// would not get an image), so a frame behind the whole image waits about as long as it
    /// would have taken to draw the level, and every frame after is cheap. A submission a pass
    /// let those slow frames in between: on a world file the first frame after a jump took
    /// 249-330 ms, against 38-53 ms (BENCHMARKS.md).
    #[allow(clippy::too_many_arguments)]
    pub fn draw_image(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        layer: &GpuLayer,
        camera: Camera,
        key: u64,
        clipped: [bool; 4],
        go_on: &mut GoOn<'_>,
    ) -> Result<Arc<LayerImage>, GpuError> {
        let view = image_texture(device, self.format, &camera)?;
        if !go_on(None) {
            return Err(GpuError::Cancelled);
        }
        self.background = wgpu::Color::TRANSPARENT;
        let mut encoder = device.create_command_encoder(&Default::default());
        for (i, pass) in self
            .passes(&camera, &[layer], pass_triangles())
            .iter()
            .enumerate()
        {
            self.render_pass(queue, &mut encoder, &view, &camera, &[layer], pass, i == 0);
        }
        queue.submit([encoder.finish()]);
        wait_for_queue(device, queue)?;
        Ok(self.layer_image(device, view, camera, key, clipped))
    }

    /// Draws a heavy layer's view into a new image straight from its geometry, as `render`
    /// draws: the features of `source` that reach the image, tessellated a batch at a time into
    /// `layer` (the layer's styles and state, its mesh replaced), drawn and freed, so that no
    /// level of the whole layer is ever kept. `go_on` is asked before each submission (a render pass),
    /// with when the last one was made and how long it took (the window's image thread waits
    /// in it while the user interacts): false stops it there. Returns the image and what the
    /// streaming did (the features the tessellator skipped among it).
    #[allow(clippy::too_many_arguments)]
    pub fn stream_image(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        layer: &mut GpuLayer,
        source: StreamSource<'_>,
        camera: Camera,
        key: u64,
        clipped: [bool; 4],
        go_on: &mut GoOn<'_>,
    ) -> Result<(Arc<LayerImage>, Streamed), GpuError> {
        let screen = camera.screen();
        let front_to_back = source
            .order
            .front_to_back(source.inputs, source.styles, screen);
        let format = if source.precise && front_to_back {
            wgpu::TextureFormat::Rgba16Float
        } else {
            self.format
        };
        let view = image_texture(device, format, &camera)?;
        let StreamSource {
            inputs,
            styles,
            tolerance_km,
            batch_vertices,
            ..
        } = source;
        // Only what reaches the image is tessellated: a view zoomed in on a heavy layer costs
        // the features it shows.
        let boxes = crate::mesh::input::boxes(inputs);
        let inside = reaching(&boxes, &camera, layer.reach_px());
        let cover = front_to_back.then(|| Cover::new(screen, styles, layer.state));
        self.set_under(device, cover.is_some().then_some(format));
        let mut clear = true;
        let mut turns = Turns { go_on, last: None };
        let streamed = crate::mesh::stream::stream(
            inputs,
            &boxes,
            Some(&inside),
            batch_vertices,
            tolerance_km,
            cover,
            |mesh| {
                if let Some(d) = batch_delay() {
                    std::thread::sleep(d);
                }
                layer.set_mesh(device, &mesh)?;
                drop(mesh);
                self.draw_into(device, queue, &view, &camera, layer, &mut clear, &mut turns)
            },
        );
        self.set_under(device, None);
        layer.set_mesh(device, &Default::default())?;
        let streamed = streamed?;
        if clear {
            // Nothing reached the image: it is cleared all the same.
            self.draw_into(device, queue, &view, &camera, layer, &mut clear, &mut turns)?;
        }
        Ok((
            self.layer_image(device, view, camera, key, clipped),
            streamed,
        ))
    }

    /// Draws `layer` into `target`, a submission a render pass of PASS_TRIANGLES (a software
    /// rasterizer bins a pass's triangles in memory): each pass asks `turns` first and is
    /// finished before the next, so a frame of the window waits behind one pass at most. The
    /// first pass clears the target while `clear` is set, and unsets it.
    #[allow(clippy::too_many_arguments)]
    fn draw_into(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        target: &wgpu::TextureView,
        camera: &Camera,
        layer: &GpuLayer,
        clear: &mut bool,
        turns: &mut Turns<'_, '_>,
    ) -> Result<(), GpuError> {
        self.background = wgpu::Color::TRANSPARENT;
        for pass in self.passes(camera, &[layer], pass_triangles()).iter() {
            turns.take()?;
            let mut encoder = device.create_command_encoder(&Default::default());
            self.render_pass(queue, &mut encoder, target, camera, &[layer], pass, *clear);
            *clear = false;
            let submitted = Instant::now();
            queue.submit([encoder.finish()]);
            wait_for_queue(device, queue)?;
            turns.done(submitted);
        }
        Ok(())
    }

    /// The image drawn into `view`, ready to be drawn over a view of `camera`.
    fn layer_image(
        &self,
        device: &wgpu::Device,
        view: wgpu::TextureView,
        camera: Camera,
        key: u64,
        clipped: [bool; 4],
    ) -> Arc<LayerImage> {
        let placement = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("layer image"),
            contents: bytemuck::bytes_of(&Placement {
                origin: [0.0; 2],
                size: [camera.size[0] as f32, camera.size[1] as f32],
            }),
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        });
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("layer image"),
            layout: &self.image.layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: placement.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::TextureView(&view),
                },
            ],
        });
        Arc::new(LayerImage {
            camera,
            key,
            clipped,
            bind_group,
            placement,
        })
    }
}

/// Asked before each submission of an image whether to go on, with when the last one was made
/// and how long it took (`None` before the first); it may wait first (see `app::yielding`).
pub type GoOn<'a> = dyn FnMut(Option<(Instant, Duration)>) -> bool + 'a;

/// The turns of an image's submissions: asks [`GoOn`] and times each.
struct Turns<'a, 'b> {
    go_on: &'a mut GoOn<'b>,
    last: Option<(Instant, Duration)>,
}

impl Turns<'_, '_> {
    /// The next submission's turn; `Cancelled` when it is not wanted.
    fn take(&mut self) -> Result<(), GpuError> {
        if !(self.go_on)(self.last) {
            return Err(GpuError::Cancelled);
        }
        Ok(())
    }

    /// A submission made at `submitted` is done.
    fn done(&mut self, submitted: Instant) {
        self.last = Some((submitted, submitted.elapsed()));
    }
}

/// Waits until the queue's work is done by polling: a blocking wait would hold the device's
/// lock for its length, and the window's frames could not present.
fn wait_for_queue(device: &wgpu::Device, queue: &wgpu::Queue) -> Result<(), GpuError> {
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = done.clone();
    queue.on_submitted_work_done(move || flag.store(true, Ordering::Release));
    while !done.load(Ordering::Acquire) {
        device
            .poll(wgpu::PollType::Poll)
            .map_err(|e| GpuError::Device(e.to_string()))?;
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    Ok(())
}

/// A texture for a layer image of `camera`'s size, within the device's limits.
fn image_texture(
    device: &wgpu::Device,
    format: wgpu::TextureFormat,
    camera: &Camera,
) -> Result<wgpu::TextureView, GpuError> {
    let max = device.limits().max_texture_dimension_2d;
    if camera.size[0] > max || camera.size[1] > max || camera.size.contains(&0) {
        return Err(GpuError::TooBig(format!(
            "a layer image of {}x{} px",
            camera.size[0], camera.size[1]
        )));
    }
    let texture = super::texture_2d(
        device,
        "layer image",
        camera.size,
        format,
        wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::TEXTURE_BINDING,
        &[],
    );
    Ok(texture.create_view(&Default::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_clipped_on_one_side_serves_views_that_stay_inside_that_side() {
        // A 1000x600 view; the layer starts at x = 300 and runs far past the right edge.
        let view = Camera::fitting(
            geo::Rect::new((0.0, 0.0), (1000.0, 600.0)),
            [1000, 600],
            1.0,
            0.0,
        );
        let layer = geo::Rect::new((300.0, 100.0), (5000.0, 500.0));
        let (image, clipped) = image_camera(&view, layer, 2.0);
        assert_eq!(clipped, [false, false, true, false], "{:?}", image.size);
        let at = |c: &Camera| c.world_to_screen(image.screen_to_world([0.0, 0.0]));
        assert!(covers(at(&view), image.size, clipped, view.size));
        // Dragged right (the layer moves right on screen): its left edge may come in freely;
        // dragged left until the view passes the image's right edge, it no longer serves.
        let mut near = view;
        near.pan_pixels(200.0, 0.0);
        assert!(covers(at(&near), image.size, clipped, view.size));
        let mut far = view;
        far.pan_pixels(-600.0, 0.0);
        assert!(!covers(at(&far), image.size, clipped, view.size));
        // Whole pixels: the image's grid is the view's.
        let o = at(&view);
        assert!(o.iter().all(|v| (v - v.round()).abs() < 1e-9), "{o:?}");
    }

    #[test]
    fn an_image_reaches_a_quarter_of_a_view_around_a_view_within_a_bigger_layer() {
        let view = Camera::fitting(
            geo::Rect::new((0.0, 0.0), (1000.0, 600.0)),
            [1000, 600],
            1.0,
            0.0,
        );
        let layer = geo::Rect::new((-5000.0, -5000.0), (5000.0, 5000.0));
        let (image, clipped) = image_camera(&view, layer, 2.0);
        assert_eq!(clipped, [true; 4]);
        assert_eq!(image.size, [1500, 900]);
        let at = |c: &Camera| c.world_to_screen(image.screen_to_world([0.0, 0.0]));
        for (dx, dy, served) in [
            (240.0, 0.0, true),
            (-240.0, 140.0, true),
            (260.0, 0.0, false),
            (0.0, -160.0, false),
        ] {
            let mut moved = view;
            moved.pan_pixels(dx, dy);
            assert_eq!(
                covers(at(&moved), image.size, clipped, view.size),
                served,
                "panned by ({dx}, {dy})"
            );
            // An image still being made is kept for such a view, and stopped past it.
            assert_eq!(reaches(&image, clipped, &moved), served, "({dx}, {dy})");
        }
        // Half a pixel on (an animation between whole pixels): still reached.
        let mut between = view;
        between.pan_pixels(100.5, 0.0);
        assert!(reaches(&image, clipped, &between));
        // Another scale: of no use, however centred.
        let mut zoomed = view;
        zoomed.scale *= 1.5;
        assert!(!reaches(&image, clipped, &zoomed));
    }
}
