//! The one renderer: pipeline and uploaded layers, drawing into any `TextureView`
//! (a window's surface or an offscreen texture). Knows nothing of GeoJSON or winit. egui
//! appears only where text goes over the map: `labels` paints labels as egui shapes and
//! `offscreen`/`headless` draw egui's paint jobs into the offscreen target; the renderer in
//! this file draws meshes alone.

pub mod cache;
pub mod headless;
pub mod labels;
pub mod offscreen;
pub mod raster;
pub mod shaders;
mod upload;

pub use upload::Uploader;
use upload::{upload_pages, Page};

use std::sync::Arc;

use crate::map::camera::Camera;
use crate::mesh::chunks::Section;
use crate::mesh::tessellate::{Chunk, Mesh};
use crate::mesh::vertex::{CameraUniform, FeatureStyle, LayerUniform, MapVertex};
use raster::LayerImage;

/// `MapVertex` as the shader sees it.
const VERTEX_ATTRIBUTES: [wgpu::VertexAttribute; 3] =
    wgpu::vertex_attr_array![0 => Float32x2, 1 => Snorm16x2, 2 => Uint32];

/// How far past its geometry a feature with `style` draws, in logical pixels: a stroke's half
/// width with the hover highlight, three times over for mitred corners, plus the falloff; a
/// marker's radius and its antialiasing pixel.
fn reach_px(style: &FeatureStyle) -> f32 {
    let stroke = 3.0 * (0.5 * (style.stroke_width + 2.0) + 1.0);
    stroke.max(style.marker_radius + 1.0) + 1.0
}

/// How far past its features' boxes a layer with `styles` draws, in logical pixels (see
/// `reach_px`; at least 2).
fn layer_reach_px(styles: &[FeatureStyle]) -> f32 {
    styles.iter().map(reach_px).fold(2.0, f32::max)
}

/// A single-sampled 2D texture of `size`.
pub fn texture_2d(
    device: &wgpu::Device,
    label: &str,
    size: [u32; 2],
    format: wgpu::TextureFormat,
    usage: wgpu::TextureUsages,
    view_formats: &[wgpu::TextureFormat],
) -> wgpu::Texture {
    device.create_texture(&wgpu::TextureDescriptor {
        label: Some(label),
        size: wgpu::Extent3d {
            width: size[0],
            height: size[1],
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format,
        usage,
        view_formats,
    })
}

/// A camera uniform buffer and its bind group (a renderer has one).
fn camera_binding(
    device: &wgpu::Device,
    layout: &wgpu::BindGroupLayout,
) -> (wgpu::Buffer, wgpu::BindGroup) {
    let buffer = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("camera"),
        size: std::mem::size_of::<CameraUniform>() as u64,
        usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("camera"),
        layout,
        entries: &[wgpu::BindGroupEntry {
            binding: 0,
            resource: buffer.as_entire_binding(),
        }],
    });
    (buffer, bind_group)
}

/// The page of a [`Draw`] of a layer drawn from its image.
const IMAGE_PAGE: usize = usize::MAX;

/// One draw call: a run of indices of one section in one page of a layer.
#[derive(Debug, Clone, PartialEq)]
struct Draw {
    /// Index into the drawn layers.
    layer: usize,
    /// Index into the layer's pages.
    page: usize,
    section: Section,
    indices: std::ops::Range<u32>,
}

/// Some of the draws of a view, encoded in one render pass (see [`Renderer::passes`]).
#[derive(Debug, Clone, Default)]
pub struct Pass {
    draws: Vec<Draw>,
    pub triangles: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum GpuError {
    #[error("too big to draw: {0}")]
    TooBig(String),
    #[error("no graphics adapter found (install a Vulkan driver; for software rendering: apt-get install mesa-vulkan-drivers): {0}")]
    NoAdapter(String),
    #[error("cannot open the graphics device: {0}")]
    Device(String),
    #[error("reading the image back from the GPU failed: {0}")]
    Readback(String),
    /// A layer image no longer wanted (the view moved on while it was drawn).
    #[error("cancelled")]
    Cancelled,
}

/// A layer's mesh and style table on the GPU.
pub struct GpuLayer {
    /// Unique in the process: which layers a cached map image shows.
    pub id: u64,
    /// Bumped whenever the style table changes.
    pub styles_version: u64,
    /// The most any feature draws past its geometry, logical px (culling pads chunks by it).
    reach_px: f32,
    /// The mesh in pages of buffers no bigger than the device allows.
    pages: Vec<Page>,
    uniform: wgpu::Buffer,
    styles: wgpu::Buffer,
    style_count: usize,
    bind_group: wgpu::BindGroup,
    pub state: LayerUniform,
    pub visible: bool,
    /// The layer drawn as an image (a raster level of detail, see `raster`): drawn instead of
    /// any mesh.
    pub image: Option<Arc<LayerImage>>,
}

impl GpuLayer {
    /// Whether `other` draws with this layer's style table (a layer's levels share it).
    pub fn shares_styles_with(&self, other: &GpuLayer) -> bool {
        self.styles == other.styles
    }

    /// The most any feature draws past its geometry, logical px.
    pub fn reach_px(&self) -> f32 {
        self.reach_px
    }

    /// [`GpuLayer::reach_px`] in physical px at `pixel_ratio`, and 2 px more for rounding: how
    /// far past a feature's box a view or an image must look to hold all it draws.
    pub fn reach_on(&self, pixel_ratio: f32) -> f64 {
        (self.reach_px * pixel_ratio) as f64 + 2.0
    }

    pub fn set_opacity(&mut self, opacity: f32) {
        self.state.opacity = opacity;
    }
    pub fn set_hovered(&mut self, feature: Option<u32>) {
        self.state.hovered = feature.unwrap_or(u32::MAX);
    }
    pub fn set_selected(&mut self, feature: Option<u32>) {
        self.state.selected = feature.unwrap_or(u32::MAX);
    }
    /// Everything about this layer that decides its pixels but the camera, hashed.
    pub fn fingerprint(&self, h: &mut impl std::hash::Hasher) {
        h.write_u64(self.id);
        h.write_u64(self.styles_version);
        h.write_u8(self.visible as u8);
        h.write(bytemuck::bytes_of(&self.state));
    }

    /// Replaces the layer's mesh, keeping its styles: a layer drawn a batch at a time
    /// (`Headless::render_streaming`) holds one batch on the device at once.
    pub fn set_mesh(&mut self, device: &wgpu::Device, mesh: &Mesh) -> Result<(), GpuError> {
        // The old buffers go before the new ones are made: one batch in memory, not two.
        self.pages = Vec::new();
        self.pages = upload_pages(device, mesh)?;
        Ok(())
    }

    /// Buffers the mesh is in (one per batch of a streamed upload, more for a mesh bigger than
    /// a buffer may be).
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Nothing to draw on the device (an empty mesh, or none uploaded yet).
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// Vertices in the layer's buffers.
    pub fn vertex_count(&self) -> u64 {
        self.pages
            .iter()
            .map(|p| p.vertices.size() / std::mem::size_of::<MapVertex>() as u64)
            .sum()
    }

    pub fn vertex_bytes(&self) -> u64 {
        self.pages
            .iter()
            .map(|p| p.vertices.size() + p.indices.size())
            .sum()
    }

    /// Triangles a frame of `camera` draws of this layer (after culling; one for an image).
    pub fn visible_triangles(&self, camera: &Camera) -> u64 {
        if self.image.is_some() {
            return 1;
        }
        self.visible_chunks(camera)
            .map(|(_, c)| c.index_count() as u64 / 3)
            .sum()
    }

    /// The chunks a view of `camera` shows, with their page (bounds padded by how far strokes
    /// and markers reach past their geometry).
    pub fn visible_chunks<'a>(
        &'a self,
        camera: &Camera,
    ) -> impl Iterator<Item = (usize, &'a Chunk)> + 'a {
        let view = camera.visible_world();
        let m = self.reach_px as f64 * camera.pixel_ratio as f64 / camera.scale;
        let v = [
            (view.min().x - m) as f32,
            (view.min().y - m) as f32,
            (view.max().x + m) as f32,
            (view.max().y + m) as f32,
        ];
        self.pages.iter().enumerate().flat_map(move |(i, p)| {
            p.chunks
                .iter()
                .filter(move |c| {
                    let b = c.bounds;
                    b[0] <= v[2] && b[2] >= v[0] && b[1] <= v[3] && b[3] >= v[1]
                })
                .map(move |c| (i, c))
        })
    }
}

pub struct Renderer {
    /// Fills ([`Section::Fills`]), and everything else.
    pipelines: [wgpu::RenderPipeline; 2],
    /// The same, blending under what is drawn (a streamed layer front to back), made when
    /// first used.
    under: Option<(wgpu::TextureFormat, [wgpu::RenderPipeline; 2])>,
    under_on: bool,
    shader: wgpu::ShaderModule,
    layout: wgpu::PipelineLayout,
    camera_buffer: wgpu::Buffer,
    camera_bind_group: wgpu::BindGroup,
    camera_layout: wgpu::BindGroupLayout,
    layer_layout: wgpu::BindGroupLayout,
    /// Layers drawn from their images.
    image: raster::ImagePipeline,
    format: wgpu::TextureFormat,
    pub background: wgpu::Color,
}

impl Renderer {
    /// `format` is the format of the views it will draw into (an sRGB format for correct blending).
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> Renderer {
        let shader = shaders::module(device, "map", shaders::map_source());
        let uniform_entry = shaders::uniform_entry;
        let camera_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("camera"),
            entries: &[uniform_entry(0, wgpu::ShaderStages::VERTEX)],
        });
        let layer_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("layer"),
            entries: &[
                uniform_entry(0, wgpu::ShaderStages::VERTEX),
                wgpu::BindGroupLayoutEntry {
                    binding: 1,
                    visibility: wgpu::ShaderStages::VERTEX,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Storage { read_only: true },
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                },
            ],
        });
        let layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("map"),
            bind_group_layouts: &[Some(&camera_layout), Some(&layer_layout)],
            immediate_size: 0,
        });
        let over = wgpu::BlendState::PREMULTIPLIED_ALPHA_BLENDING;
        let pipelines = map_pipelines(device, &layout, &shader, format, over);
        let (camera_buffer, camera_bind_group) = camera_binding(device, &camera_layout);
        let bg = crate::map::style::palette::BACKGROUND.linear(1.0);
        Renderer {
            pipelines,
            under: None,
            under_on: false,
            shader,
            layout,
            camera_buffer,
            camera_bind_group,
            camera_layout,
            layer_layout,
            image: raster::ImagePipeline::new(device, format),
            format,
            background: wgpu::Color {
                r: bg[0] as f64,
                g: bg[1] as f64,
                b: bg[2] as f64,
                a: 1.0,
            },
        }
    }

    pub fn format(&self) -> wgpu::TextureFormat {
        self.format
    }

    /// Whether the map's triangles blend under what the target holds (drawn front to back:
    /// `mesh::stream` with a cover) rather than over it, into targets of `format`. The target
    /// must then start transparent.
    pub fn set_under(&mut self, device: &wgpu::Device, format: Option<wgpu::TextureFormat>) {
        if let Some(format) = format.filter(|f| self.under.as_ref().is_none_or(|u| u.0 != *f)) {
            // Premultiplied, front to back: what is there keeps its share, the new colour
            // fills what it leaves.
            let under = wgpu::BlendComponent {
                src_factor: wgpu::BlendFactor::OneMinusDstAlpha,
                dst_factor: wgpu::BlendFactor::One,
                operation: wgpu::BlendOperation::Add,
            };
            let blend = wgpu::BlendState {
                color: under,
                alpha: under,
            };
            let pipelines = map_pipelines(device, &self.layout, &self.shader, format, blend);
            self.under = Some((format, pipelines));
        }
        self.under_on = format.is_some();
    }

    /// Uploads a mesh and its style table once; pan and zoom never touch it again.
    pub fn upload(
        &self,
        device: &wgpu::Device,
        mesh: &Mesh,
        styles: &[FeatureStyle],
    ) -> Result<GpuLayer, GpuError> {
        self.uploader(device).upload(mesh, styles)
    }

    /// What another thread needs to upload layers for this renderer.
    pub fn uploader(&self, device: &wgpu::Device) -> Uploader {
        Uploader {
            device: device.clone(),
            layout: self.layer_layout.clone(),
            shared_styles: None,
        }
    }

    /// Replaces a layer's style table (same feature count), e.g. after a style edit.
    pub fn update_styles(
        &self,
        queue: &wgpu::Queue,
        layer: &mut GpuLayer,
        styles: &[FeatureStyle],
    ) {
        if styles.len() == layer.style_count {
            queue.write_buffer(&layer.styles, 0, bytemuck::cast_slice(styles));
            layer.styles_version += 1;
            layer.reach_px = styles.iter().map(reach_px).fold(2.0, f32::max);
        }
    }

    /// Draws `layers` in order into `target` (its size must match the camera's viewport).
    pub fn render<'a>(
        &mut self,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        target: &wgpu::TextureView,
        camera: &Camera,
        layers: impl IntoIterator<Item = &'a GpuLayer>,
    ) {
        let layers: Vec<&GpuLayer> = layers.into_iter().collect();
        self.write_uniforms(queue, camera, &layers);
        let draws = self.draws(camera, &layers);
        self.pass(encoder, target, true, &layers, &draws);
    }

    /// Like [`Renderer::render`], in passes of about `batch` triangles, each submitted and
    /// finished before the next: a software rasterizer then holds one batch of binned triangles
    /// at a time instead of all of them (`render` of a 100 MB file). With `clear` false, draws
    /// over what the target holds.
    #[allow(clippy::too_many_arguments)]
    pub fn render_batched(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        target: &wgpu::TextureView,
        camera: &Camera,
        layers: &[&GpuLayer],
        batch: u32,
        clear: bool,
    ) -> Result<(), GpuError> {
        for (i, pass) in self.passes(camera, layers, batch).iter().enumerate() {
            let mut encoder = device.create_command_encoder(&Default::default());
            self.render_pass(
                queue,
                &mut encoder,
                target,
                camera,
                layers,
                pass,
                i == 0 && clear,
            );
            queue.submit([encoder.finish()]);
            device
                .poll(wgpu::PollType::Wait {
                    submission_index: None,
                    timeout: None,
                })
                .map_err(|e| GpuError::Device(e.to_string()))?;
        }
        Ok(())
    }

    /// What a view of `camera` draws of `layers` (after culling), split into passes of about
    /// `batch` triangles; at least one pass, which may be empty (it still clears).
    pub fn passes(&self, camera: &Camera, layers: &[&GpuLayer], batch: u32) -> Vec<Pass> {
        let batch = batch.max(1);
        let mut passes = vec![Pass::default()];
        for draw in self.draws(camera, layers) {
            // Long runs are split; index counts stay multiples of three.
            let r = &draw.indices;
            let mut start = r.start;
            while start < r.end {
                let end = (start + batch * 3).min(r.end);
                let triangles = ((end - start) / 3) as u64;
                let last = passes.last_mut().expect("one at least");
                if last.triangles > 0 && last.triangles + triangles > batch as u64 {
                    passes.push(Pass::default());
                }
                let last = passes.last_mut().expect("one at least");
                last.draws.push(Draw {
                    indices: start..end,
                    ..draw.clone()
                });
                last.triangles += triangles;
                start = end;
            }
        }
        passes
    }

    /// Encodes one of the [`Renderer::passes`] of `camera` into `target`, over what it holds
    /// unless `clear`. All passes of a view must get the same `layers`.
    #[allow(clippy::too_many_arguments)]
    pub fn render_pass(
        &self,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        target: &wgpu::TextureView,
        camera: &Camera,
        layers: &[&GpuLayer],
        pass: &Pass,
        clear: bool,
    ) {
        self.write_uniforms(queue, camera, layers);
        self.pass(encoder, target, clear, layers, &pass.draws);
    }

    /// The camera's and the layers' uniforms, for the next submission.
    fn write_uniforms(&self, queue: &wgpu::Queue, camera: &Camera, layers: &[&GpuLayer]) {
        let size = camera.size;
        let uniform = CameraUniform {
            world_to_clip: camera.world_to_clip(),
            px_to_clip: [2.0 / size[0] as f32, 2.0 / size[1] as f32],
            pixel_ratio: camera.pixel_ratio,
            scale: (camera.scale / camera.pixel_ratio as f64) as f32,
        };
        queue.write_buffer(&self.camera_buffer, 0, bytemuck::bytes_of(&uniform));
        for layer in layers {
            queue.write_buffer(&layer.uniform, 0, bytemuck::bytes_of(&layer.state));
            if let Some(img) = &layer.image {
                // Where the image lies on this view (whole pixels where it shows it exactly).
                let o = camera.world_to_screen(img.camera.screen_to_world([0.0, 0.0]));
                let placement = raster::Placement {
                    origin: o.map(|v| v.round() as f32),
                    size: img.camera.size.map(|v| v as f32),
                };
                queue.write_buffer(&img.placement, 0, bytemuck::bytes_of(&placement));
            }
        }
    }

    /// The draws of a view, chunks that are next to each other in a buffer in one draw.
    fn draws(&self, camera: &Camera, layers: &[&GpuLayer]) -> Vec<Draw> {
        let mut draws: Vec<Draw> = Vec::new();
        for (i, layer) in layers.iter().enumerate() {
            if !layer.visible || layer.state.opacity <= 0.0 {
                continue;
            }
            if layer.image.is_some() {
                draws.push(Draw {
                    layer: i,
                    page: IMAGE_PAGE,
                    section: Section::Fills,
                    indices: 0..3,
                });
                continue;
            }
            // All fills, then all strokes, then all markers, as in the mesh.
            for section in Section::ALL {
                for (page, chunk) in layer.visible_chunks(camera) {
                    let s = &chunk.sections[section];
                    if s.is_empty() {
                        continue;
                    }
                    match draws.last_mut() {
                        Some(d)
                            if d.layer == i
                                && d.page == page
                                && d.section == section
                                && d.indices.end == s.start =>
                        {
                            d.indices.end = s.end
                        }
                        _ => draws.push(Draw {
                            layer: i,
                            page,
                            section,
                            indices: s.clone(),
                        }),
                    }
                }
            }
        }
        draws
    }

    /// One render pass of `draws` (from [`Renderer::draws`]) into `target`.
    fn pass(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        target: &wgpu::TextureView,
        clear: bool,
        layers: &[&GpuLayer],
        draws: &[Draw],
    ) {
        let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("map"),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view: target,
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations {
                    load: if clear {
                        wgpu::LoadOp::Clear(self.background)
                    } else {
                        wgpu::LoadOp::Load
                    },
                    store: wgpu::StoreOp::Store,
                },
            })],
            depth_stencil_attachment: None,
            timestamp_writes: None,
            occlusion_query_set: None,
            multiview_mask: None,
        });
        pass.set_bind_group(0, &self.camera_bind_group, &[]);
        let mut bound = None;
        let mut pipeline = None;
        for d in draws {
            if let (IMAGE_PAGE, Some(img)) = (d.page, &layers[d.layer].image) {
                pass.set_pipeline(&self.image.pipeline);
                pass.set_bind_group(0, &img.bind_group, &[]);
                pass.draw(0..3, 0..1);
                // The map's pipelines and bind groups are set again for what follows.
                pass.set_bind_group(0, &self.camera_bind_group, &[]);
                (pipeline, bound) = (None, None);
                continue;
            }
            let which = usize::from(d.section != Section::Fills);
            if pipeline != Some(which) {
                let pipelines = match &self.under {
                    Some((_, under)) if self.under_on => under,
                    _ => &self.pipelines,
                };
                pass.set_pipeline(&pipelines[which]);
                pipeline = Some(which);
            }
            if bound != Some((d.layer, d.page)) {
                let layer = layers[d.layer];
                let p = &layer.pages[d.page];
                if bound.is_none_or(|(l, _)| l != d.layer) {
                    pass.set_bind_group(1, &layer.bind_group, &[]);
                }
                pass.set_vertex_buffer(0, p.vertices.slice(..));
                pass.set_index_buffer(p.indices.slice(..), wgpu::IndexFormat::Uint32);
                bound = Some((d.layer, d.page));
            }
            pass.draw_indexed(d.indices.clone(), 0, 0..1);
        }
    }
}

/// The map's two pipelines over one vertex shader, blending with `blend`: fills are one flat
/// colour (their edges are antialiased by fringes drawn with the strokes), so their fragment
/// shader does nothing else, which a software rasterizer, painting most of the pixels with it,
/// notices.
fn map_pipelines(
    device: &wgpu::Device,
    layout: &wgpu::PipelineLayout,
    shader: &wgpu::ShaderModule,
    format: wgpu::TextureFormat,
    blend: wgpu::BlendState,
) -> [wgpu::RenderPipeline; 2] {
    let pipeline = |fragment_entry: &str| {
        device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
            label: Some(fragment_entry),
            layout: Some(layout),
            vertex: wgpu::VertexState {
                module: shader,
                entry_point: Some("vs_main"),
                compilation_options: Default::default(),
                buffers: &[Some(wgpu::VertexBufferLayout {
                    array_stride: std::mem::size_of::<MapVertex>() as u64,
                    step_mode: wgpu::VertexStepMode::Vertex,
                    attributes: &VERTEX_ATTRIBUTES,
                })],
            },
            primitive: wgpu::PrimitiveState {
                topology: wgpu::PrimitiveTopology::TriangleList,
                cull_mode: None,
                ..Default::default()
            },
            depth_stencil: None,
            // No MSAA: edges are antialiased in the shader (strokes, fill fringes, markers).
            // On a software rasterizer 4× MSAA made frames several times slower.
            multisample: wgpu::MultisampleState::default(),
            fragment: Some(wgpu::FragmentState {
                module: shader,
                entry_point: Some(fragment_entry),
                compilation_options: Default::default(),
                targets: &[Some(wgpu::ColorTargetState {
                    format,
                    blend: Some(blend),
                    write_mask: wgpu::ColorWrites::ALL,
                })],
            }),
            multiview_mask: None,
            cache: None,
        })
    };
    [pipeline("fs_fill"), pipeline("fs_main")]
}

#[cfg(test)]
mod tests {
    use super::upload::paginate;
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn pages_fit_the_buffer_limit_and_keep_every_triangle() {
        let m = crate::mesh::tessellate::grid_of_circles(200, 200);
        assert!(m.chunks.len() > 3);
        let limit = (m.vertices.len() * std::mem::size_of::<MapVertex>() / 3) as u64;
        let pages = paginate(&m, limit).unwrap();
        assert!(pages.len() >= 3, "{} pages", pages.len());
        for page in &pages {
            let (vertices, indices) = (&page.vertices, &page.indices);
            assert!(std::mem::size_of_val(&vertices[..]) as u64 <= limit);
            assert!(std::mem::size_of_val(&indices[..]) as u64 <= limit);
            for c in &page.chunks {
                for r in c.sections.iter() {
                    let ok = indices[r.start as usize..r.end as usize]
                        .iter()
                        .all(|i| c.vertices.contains(i));
                    assert!(ok);
                }
            }
        }
        // Drawn as the renderer does (section by section over the pages), the triangles come
        // out as in the mesh.
        let mut drawn = Vec::new();
        for s in Section::ALL {
            for page in &pages {
                for c in &page.chunks {
                    let r = &c.sections[s];
                    drawn.extend(
                        page.indices[r.start as usize..r.end as usize]
                            .iter()
                            .map(|&i| page.vertices[i as usize].pos),
                    );
                }
            }
        }
        let all: Vec<[f32; 2]> = m
            .indices
            .iter()
            .map(|&i| m.vertices[i as usize].pos)
            .collect();
        assert_eq!(drawn, all);
        // Nothing fits: an error, not a panic.
        assert!(matches!(paginate(&m, 64), Err(GpuError::TooBig(_))));
        assert!(paginate(&Mesh::default(), 64).unwrap().is_empty());
        // Room for all: one page, the mesh itself.
        let one = paginate(&m, u64::MAX).unwrap();
        assert!(one.len() == 1 && matches!(one[0].indices, Cow::Borrowed(_)));
    }
}
