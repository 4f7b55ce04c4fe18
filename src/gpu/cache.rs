//! The window's last map image, kept in a texture. A frame in which the map did not change (the
//! UI animates, files load) shows it again instead of drawing every layer; a frame in the middle
//! of a pan or zoom over a map too heavy to draw at frame rate shows it moved and scaled to the
//! new view, and the exact map is drawn again as soon as the view rests (what desktop GIS
//! viewers do). A map too heavy to draw within one frame is drawn over several, a pass per
//! frame into a second texture, while the frames show the last image moved to the view; the
//! finished image then takes its place. On a software rasterizer this is what keeps the window
//! at frame rate. The image is drawn with a margin around the view (`MARGIN`): a pan by whole
//! pixels that stays within it shows part of the image as it is, exact, drawing nothing.

use wgpu::util::DeviceExt;

use super::{GpuLayer, Pass, Renderer};
use crate::map::camera::Camera;

/// The cached image reaches this share of the view's size past each edge (a sixteenth: the
/// image has 1.27 times the view's pixels to draw): a pan by whole pixels
/// that stays within it shows part of the image as it is, exact, with nothing drawn again.
const MARGIN: f64 = 0.0625;

/// The camera the cached image is drawn with for a view: the same centre and scale, the view
/// and a margin of whole pixels around it (within the device's largest texture).
fn padded(view: &Camera, max_side: u32) -> Camera {
    let mut c = *view;
    let pad = |s: u32| {
        let m = (s as f64 * MARGIN).round() as u32;
        s + 2 * m.min(max_side.saturating_sub(s) / 2)
    };
    c.size = [pad(view.size[0]), pad(view.size[1])];
    c
}

/// Where the view's top-left pixel lies in an image drawn with `image`, when the view shows
/// part of that image pixel for pixel: same scale, a whole-pixel offset, all of it inside.
fn part_of(image: &Camera, view: &Camera) -> Option<[u32; 2]> {
    if image.pixel_ratio != view.pixel_ratio || !super::raster::same_scale(image.scale, view.scale)
    {
        return None;
    }
    let at = image.world_to_screen(view.screen_to_world([0.0, 0.0]));
    let whole = at.map(|v| v.round());
    let inside = (0..2).all(|i| {
        (at[i] - whole[i]).abs() < 1e-3
            && whole[i] >= 0.0
            && whole[i] + view.size[i] as f64 <= image.size[i] as f64
    });
    inside.then(|| whole.map(|v| v as u32))
}

/// Maps drawing more triangles than this get the margin (on lavapipe, 1M triangles take about
/// a quarter of a second; zoomed in on the 100 MB file, 168k took 86 ms, and 124 ms with it).
const MARGIN_ABOVE_TRIANGLES: u64 = 1_000_000;

/// Triangles per submission of a map drawn whole (see [`MapCache::update`]).
const WHOLE_PASS_TRIANGLES: u64 = 1_000_000;

/// Where a frame's map came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapSource {
    /// Drawn from the layers, all of it in this frame.
    Drawn,
    /// The cached image, unchanged.
    Cached,
    /// The cached image moved and scaled to a new view: the exact map is still to be drawn.
    Moved,
    /// The cached image moved to the view while the exact map is drawn over several frames.
    Refining,
    /// The last pass of a map drawn over several frames: the exact map.
    Refined,
}

impl MapSource {
    /// The frame shows the map as drawn for its view.
    pub fn is_exact(self) -> bool {
        matches!(
            self,
            MapSource::Drawn | MapSource::Cached | MapSource::Refined
        )
    }
}

/// A map being drawn over several frames: for which view, the passes, the next one.
struct Refining {
    want: Drawn,
    passes: Vec<Pass>,
    next: usize,
}

/// The `Blit` uniform of `shaders/blit.wgsl` (a test checks the sizes agree).
#[repr(C)]
#[derive(Debug, Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
pub struct BlitUniform {
    uv_min: [f32; 2],
    uv_max: [f32; 2],
    background: [f32; 4],
}

/// What a cached image shows: the camera it was drawn with and a fingerprint of everything
/// else that decides the map's pixels (layers, their state, the level of detail chosen).
#[derive(Debug, Clone, PartialEq)]
pub struct Drawn {
    pub camera: Camera,
    pub fingerprint: u64,
}

pub struct MapCache {
    pipeline: wgpu::RenderPipeline,
    layout: wgpu::BindGroupLayout,
    sampler: wgpu::Sampler,
    uniform: wgpu::Buffer,
    target: Option<Target>,
    /// Where a map drawn over several frames is drawn (at the size of the view it is for).
    back: Option<Target>,
    refining: Option<Refining>,
    format: wgpu::TextureFormat,
    /// What the cached image shows; `None` when there is none.
    pub drawn: Option<Drawn>,
    /// Triangles the last [`MapCache::update`] drew.
    pub drawn_triangles: u64,
    /// Maps drawing more triangles than this get the margin ([`MARGIN_ABOVE_TRIANGLES`]).
    pub margin_above: u64,
}

struct Target {
    texture: wgpu::Texture,
    view: wgpu::TextureView,
    bind_group: wgpu::BindGroup,
    size: [u32; 2],
}

impl MapCache {
    /// `format` is that of the views the map is drawn into.
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> MapCache {
        let shader =
            crate::gpu::shaders::module(device, "blit", crate::gpu::shaders::blit_source());
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("map cache"),
            entries: &[
                super::shaders::uniform_entry(0, wgpu::ShaderStages::VERTEX_FRAGMENT),
                super::shaders::texture_entry(1, true),
                wgpu::BindGroupLayoutEntry {
                    binding: 2,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
                    count: None,
                },
            ],
        });
        let pipeline = super::shaders::fullscreen_pipeline(
            device,
            "map cache",
            &shader,
            &layout,
            format,
            None,
        );
        let sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("map cache"),
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });
        let uniform = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("map cache"),
            contents: bytemuck::bytes_of(&BlitUniform::zeroed()),
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        });
        MapCache {
            pipeline,
            layout,
            sampler,
            uniform,
            target: None,
            back: None,
            refining: None,
            format,
            drawn: None,
            drawn_triangles: 0,
            margin_above: MARGIN_ABOVE_TRIANGLES,
        }
    }

    /// Brings the cached image to what a frame of `want` needs (see [`MapSource`]); `show` then
    /// puts it on screen. `layers` are the frame's, from which `want.fingerprint` was made.
    /// With `may_reuse`, a view that is part of the cached image pixel for pixel (a pan by whole
    /// pixels within its margin) shows that part, exact, with nothing drawn. With `may_move`
    /// (a pan over a heavy map), the cached image stands in, moved; with
    /// `frame_triangles`, a map heavier than that is drawn over several frames, that many
    /// triangles a frame, while the cached image stands in.
    #[allow(clippy::too_many_arguments)]
    pub fn update(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        renderer: &mut Renderer,
        layers: &[&GpuLayer],
        want: &Drawn,
        (may_move, may_reuse): (bool, bool),
        frame_triangles: Option<u64>,
    ) -> MapSource {
        let view_camera = &want.camera;
        let max_side = device.limits().max_texture_dimension_2d;
        // A heavy map's image is drawn with a margin around the view (see `MARGIN`); a light
        // one is drawn again for a pan sooner than its margin would pay for its pixels.
        let heavy = layers
            .iter()
            .map(|l| l.visible_triangles(view_camera))
            .sum::<u64>()
            > self.margin_above;
        let camera = &if heavy {
            padded(view_camera, max_side)
        } else {
            *view_camera
        };
        self.drawn_triangles = 0;
        log::trace!(
            "map cache: may move {may_move}, same map {:?}, budget {frame_triangles:?}",
            self.drawn
                .as_ref()
                .map(|d| d.fingerprint == want.fingerprint)
        );
        match &self.drawn {
            Some(d)
                if d.fingerprint == want.fingerprint
                    && (may_reuse || d.camera == *camera)
                    && part_of(&d.camera, view_camera).is_some() =>
            {
                return MapSource::Cached
            }
            Some(d) if may_move && d.camera.pixel_ratio == view_camera.pixel_ratio => {
                // The exact map comes once the view rests; a refinement for another view
                // would be wasted. The image may be of the map before a change (a hover, a
                // layer shown): a heavy map is not drawn mid-pan for it.
                self.refining = None;
                return MapSource::Moved;
            }
            _ => {}
        }
        let drawn = Drawn {
            camera: *camera,
            fingerprint: want.fingerprint,
        };
        // Any image stands in while a heavy map is drawn over several frames, even one of
        // another size (the window was resized, or the image has a margin); drawn whole, the map
        // replaces it.
        if let (Some(budget), Some(_)) = (frame_triangles, &self.drawn) {
            if self.refining.as_ref().is_none_or(|r| r.want != *want) {
                let passes = renderer.passes(camera, layers, budget.min(u32::MAX as u64) as u32);
                self.refining = (passes.len() > 1).then(|| Refining {
                    want: want.clone(),
                    passes,
                    next: 0,
                });
            }
            if self.refining.is_some() && self.back.as_ref().map(|b| b.size) != Some(camera.size) {
                self.back = Some(self.make_target(device, camera.size));
            }
            if let Some(r) = &mut self.refining {
                let back = self.back.as_ref().expect("made above");
                let pass = &r.passes[r.next];
                renderer.render_pass(
                    queue,
                    encoder,
                    &back.view,
                    camera,
                    layers,
                    pass,
                    r.next == 0,
                );
                self.drawn_triangles = pass.triangles;
                r.next += 1;
                if r.next < r.passes.len() {
                    return MapSource::Refining;
                }
                std::mem::swap(&mut self.target, &mut self.back);
                self.drawn = Some(drawn);
                self.refining = None;
                return MapSource::Refined;
            }
        }
        self.refining = None;
        let triangles = layers.iter().map(|l| l.visible_triangles(camera)).sum();
        let view = self.view(device, camera.size);
        // A software rasterizer holds a submission's binned triangles until it is done: a
        // heavy map drawn whole goes in passes submitted one after the other (each 1M
        // triangles held 0.1 GB; 6.5M at once, 0.7 GB).
        let batched = triangles > WHOLE_PASS_TRIANGLES
            && renderer
                .render_batched(
                    device,
                    queue,
                    view,
                    camera,
                    layers,
                    WHOLE_PASS_TRIANGLES as u32,
                    true,
                )
                .map_err(|e| log::warn!("drawing the map in passes: {e}"))
                .is_ok();
        if !batched {
            renderer.render(queue, encoder, view, camera, layers.iter().copied());
        }
        self.drawn_triangles = triangles;
        self.drawn = Some(drawn);
        MapSource::Drawn
    }

    /// The texture view to draw the map into for a frame of `size` pixels (made on first use
    /// and on resize, which forgets the cached image and any refinement).
    pub fn view(&mut self, device: &wgpu::Device, size: [u32; 2]) -> &wgpu::TextureView {
        if self.target.as_ref().map(|t| t.size) != Some(size) {
            self.drawn = None;
            self.refining = None;
            self.back = None;
            self.target = Some(self.make_target(device, size));
        }
        &self.target.as_ref().expect("made above").view
    }

    fn make_target(&self, device: &wgpu::Device, size: [u32; 2]) -> Target {
        let texture = super::texture_2d(
            device,
            "map cache",
            size,
            self.format,
            wgpu::TextureUsages::RENDER_ATTACHMENT
                | wgpu::TextureUsages::TEXTURE_BINDING
                | wgpu::TextureUsages::COPY_SRC,
            &[],
        );
        let view = texture.create_view(&Default::default());
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("map cache"),
            layout: &self.layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: self.uniform.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::TextureView(&view),
                },
                wgpu::BindGroupEntry {
                    binding: 2,
                    resource: wgpu::BindingResource::Sampler(&self.sampler),
                },
            ],
        });
        Target {
            texture,
            view,
            bind_group,
            size,
        }
    }

    /// Draws the cached image into `target` (a texture and the view to draw into) as the map
    /// would look with `camera`; what the image does not cover gets `background`. Returns false
    /// (and draws nothing) without a cached image.
    pub fn show(
        &self,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        (target, target_view): (&wgpu::Texture, &wgpu::TextureView),
        camera: &Camera,
        background: wgpu::Color,
    ) -> bool {
        let (Some(t), Some(drawn)) = (&self.target, &self.drawn) else {
            return false;
        };
        // Where the screen's corners lay in the cached image (the map moves affinely).
        let corner = |p: [f64; 2]| drawn.camera.world_to_screen(camera.screen_to_world(p));
        let (top_left, bottom_right) = (
            corner([0.0, 0.0]),
            corner([camera.size[0] as f64, camera.size[1] as f64]),
        );
        let same_scale = (drawn.camera.scale / camera.scale - 1.0).abs() < 1e-9;
        let copyable = target.usage().contains(wgpu::TextureUsages::COPY_DST)
            && target.format().remove_srgb_suffix() == self.format.remove_srgb_suffix();
        // A pan (or no move): copy the overlapping part, rounded to whole pixels.
        let clear = |encoder: &mut wgpu::CommandEncoder| -> wgpu::RenderPass<'static> {
            encoder
                .begin_render_pass(&wgpu::RenderPassDescriptor {
                    label: Some("map cache"),
                    color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                        view: target_view,
                        depth_slice: None,
                        resolve_target: None,
                        ops: wgpu::Operations {
                            load: wgpu::LoadOp::Clear(background),
                            store: wgpu::StoreOp::Store,
                        },
                    })],
                    depth_stencil_attachment: None,
                    timestamp_writes: None,
                    occlusion_query_set: None,
                    multiview_mask: None,
                })
                .forget_lifetime()
        };
        if same_scale && copyable {
            // The screen's rectangle in the image, and the part of it the image holds.
            let (dx, dy) = (top_left[0].round() as i64, top_left[1].round() as i64);
            let (vw, vh) = (target.width() as i64, target.height() as i64);
            let (x0, y0) = (dx.max(0), dy.max(0));
            let (x1, y1) = (
                (dx + vw).min(t.size[0] as i64),
                (dy + vh).min(t.size[1] as i64),
            );
            if (x0, y0, x1, y1) != (dx, dy, dx + vw, dy + vh) {
                drop(clear(encoder));
            }
            if x1 > x0 && y1 > y0 {
                encoder.copy_texture_to_texture(
                    wgpu::TexelCopyTextureInfo {
                        texture: &t.texture,
                        mip_level: 0,
                        origin: wgpu::Origin3d {
                            x: x0 as u32,
                            y: y0 as u32,
                            z: 0,
                        },
                        aspect: wgpu::TextureAspect::All,
                    },
                    wgpu::TexelCopyTextureInfo {
                        texture: target,
                        mip_level: 0,
                        origin: wgpu::Origin3d {
                            x: (x0 - dx) as u32,
                            y: (y0 - dy) as u32,
                            z: 0,
                        },
                        aspect: wgpu::TextureAspect::All,
                    },
                    wgpu::Extent3d {
                        width: (x1 - x0) as u32,
                        height: (y1 - y0) as u32,
                        depth_or_array_layers: 1,
                    },
                );
            }
            return true;
        }
        let uv = |q: [f64; 2]| {
            [
                (q[0] / t.size[0] as f64) as f32,
                (q[1] / t.size[1] as f64) as f32,
            ]
        };
        let uniform = BlitUniform {
            uv_min: uv(top_left),
            uv_max: uv(bottom_right),
            background: [
                background.r as f32,
                background.g as f32,
                background.b as f32,
                background.a as f32,
            ],
        };
        queue.write_buffer(&self.uniform, 0, bytemuck::bytes_of(&uniform));
        let mut pass = clear(encoder);
        pass.set_pipeline(&self.pipeline);
        pass.set_bind_group(0, &t.bind_group, &[]);
        pass.draw(0..3, 0..1);
        true
    }
}

use bytemuck::Zeroable;
