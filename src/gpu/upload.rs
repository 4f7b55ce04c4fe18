//! Meshes onto the device: pages of buffers no bigger than the device allows, a heavy layer
//! tessellated and uploaded a batch of chunks at a time, from any thread.

use std::borrow::Cow;
use std::sync::Arc;

use bytemuck::Zeroable;
use wgpu::util::DeviceExt;

use super::raster::LayerImage;
use super::{layer_reach_px, GpuError, GpuLayer};
use crate::mesh::chunks::{chunk_groups, Group, PerSection, Section};
use crate::mesh::input::TessInput;
use crate::mesh::tessellate::{tessellate_groups, Chunk, Mesh, Sections};
use crate::mesh::vertex::{FeatureStyle, LayerUniform, MapVertex};

/// A page's vertices, indices (from its first vertex) and chunks, before upload; a page that is
/// the whole mesh borrows it (a copy of a big mesh costs time and a peak of memory).
pub(super) struct PageData<'a> {
    pub vertices: Cow<'a, [MapVertex]>,
    pub indices: Cow<'a, [u32]>,
    pub chunks: Vec<Chunk>,
}

/// Splits a mesh into pages of whole chunks whose vertex and index data each fit in
/// `max_bytes`; indices are rebased to their page's first vertex. Empty meshes give no pages.
pub(super) fn paginate(mesh: &Mesh, max_bytes: u64) -> Result<Vec<PageData<'_>>, GpuError> {
    let vsize = std::mem::size_of::<MapVertex>() as u64;
    let mut pages = Vec::new();
    let mut start = 0;
    while start < mesh.chunks.len() {
        let first = &mesh.chunks[start];
        let (mut end, mut index_count) = (start, 0u64);
        while end < mesh.chunks.len() {
            let c = &mesh.chunks[end];
            let v = (c.vertices.end - first.vertices.start) as u64 * vsize;
            let i = (index_count + c.index_count() as u64) * 4;
            if v > max_bytes || i > max_bytes {
                break;
            }
            index_count += c.index_count() as u64;
            end += 1;
        }
        if end == start {
            return Err(GpuError::TooBig(format!(
                "one part of the layer needs more than the {} MB this graphics device allows in a buffer",
                max_bytes >> 20
            )));
        }
        if start == 0 && end == mesh.chunks.len() {
            // One page: the mesh as it is.
            pages.push(PageData {
                vertices: Cow::Borrowed(&mesh.vertices[..]),
                indices: Cow::Borrowed(&mesh.indices[..]),
                chunks: mesh.chunks.clone(),
            });
            break;
        }
        let chunks = &mesh.chunks[start..end];
        let (v0, v1) = (first.vertices.start, chunks[chunks.len() - 1].vertices.end);
        let vertices = mesh.vertices[v0 as usize..v1 as usize].to_vec();
        // Section by section, like the mesh: all fills, then strokes, then markers.
        let mut indices: Vec<u32> = Vec::with_capacity(index_count as usize);
        let mut sections = vec![PerSection::<std::ops::Range<u32>>::default(); chunks.len()];
        for s in Section::ALL {
            for (c, local) in chunks.iter().zip(&mut sections) {
                let from = indices.len() as u32;
                let r = &c.sections[s];
                indices.extend(
                    mesh.indices[r.start as usize..r.end as usize]
                        .iter()
                        .map(|i| i - v0),
                );
                local[s] = from..indices.len() as u32;
            }
        }
        let chunks = chunks
            .iter()
            .zip(sections)
            .map(|(c, sections)| Chunk {
                sections,
                vertices: c.vertices.start - v0..c.vertices.end - v0,
                bounds: c.bounds,
            })
            .collect();
        pages.push(PageData {
            vertices: Cow::Owned(vertices),
            indices: Cow::Owned(indices),
            chunks,
        });
        start = end;
    }
    Ok(pages)
}

/// Uploads layers for a [`Renderer`] from any thread (a big file's buffers are filled on its
/// loading thread, not in a frame).
#[derive(Clone)]
pub struct Uploader {
    pub(super) device: wgpu::Device,
    pub(super) layout: wgpu::BindGroupLayout,
    /// A layer's style table (and its feature count) that uploads of as many features use
    /// instead of a table of their own ([`Uploader::sharing_styles`]).
    pub(super) shared_styles: Option<(wgpu::Buffer, usize)>,
}

impl Uploader {
    /// An uploader whose layers of `layer`'s feature count draw with `layer`'s style table: a
    /// layer's levels of detail share it, as its features' indices, and a style edit written to
    /// it shows in all of them. (A table of their own each held 19 MB a level on a file of
    /// 300,000 points, BENCHMARKS.md.)
    pub fn sharing_styles(&self, layer: &GpuLayer) -> Uploader {
        Uploader {
            shared_styles: Some((layer.styles.clone(), layer.style_count)),
            ..self.clone()
        }
    }

    /// Uploads a mesh and its style table once; pan and zoom never touch it again. A mesh bigger
    /// than one buffer may be goes in several pages; what no buffer can hold is an error.
    pub fn upload(&self, mesh: &Mesh, styles: &[FeatureStyle]) -> Result<GpuLayer, GpuError> {
        let device = &self.device;
        let limits = device.limits();
        let style_bytes = std::mem::size_of_val(styles) as u64;
        if style_bytes > limits.max_storage_buffer_binding_size {
            return Err(GpuError::TooBig(format!(
                "{} features need {} MB of styles; this graphics device holds {} MB",
                styles.len(),
                style_bytes >> 20,
                limits.max_storage_buffer_binding_size >> 20
            )));
        }
        let pages = upload_pages(device, mesh)?;
        let state = LayerUniform {
            opacity: 1.0,
            hovered: u32::MAX,
            selected: u32::MAX,
            over: 0,
        };
        let uniform = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("layer"),
            contents: bytemuck::bytes_of(&state),
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        });
        let one = [FeatureStyle::zeroed()];
        let table = if styles.is_empty() { &one[..] } else { styles };
        let styles_buf = match &self.shared_styles {
            Some((buffer, count)) if *count == styles.len() => buffer.clone(),
            _ => device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some("feature styles"),
                contents: bytemuck::cast_slice(table),
                usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST,
            }),
        };
        let bind_group = self.bind_group(&uniform, &styles_buf);
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Ok(GpuLayer {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            styles_version: 0,
            reach_px: layer_reach_px(styles),
            pages,
            uniform,
            styles: styles_buf,
            style_count: table.len(),
            bind_group,
            state,
            visible: true,
            image: None,
        })
    }

    /// The same mesh and style table with a state of its own (another thread draws it while
    /// the window changes the layer's hover, selection or opacity).
    pub fn share(&self, layer: &GpuLayer) -> GpuLayer {
        let uniform = self
            .device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some("layer"),
                contents: bytemuck::bytes_of(&layer.state),
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            });
        let bind_group = self.bind_group(&uniform, &layer.styles);
        GpuLayer {
            id: layer.id,
            styles_version: layer.styles_version,
            reach_px: layer.reach_px,
            pages: layer.pages.clone(),
            uniform,
            styles: layer.styles.clone(),
            style_count: layer.style_count,
            bind_group,
            state: layer.state,
            visible: layer.visible,
            image: None,
        }
    }

    pub fn device(&self) -> &wgpu::Device {
        &self.device
    }

    /// A layer's bind group: its state and its style table.
    fn bind_group(&self, state: &wgpu::Buffer, styles: &wgpu::Buffer) -> wgpu::BindGroup {
        self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("layer"),
            layout: &self.layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: state.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: styles.as_entire_binding(),
                },
            ],
        })
    }

    /// A layer drawn from `image` alone.
    pub fn image_layer(&self, image: Arc<LayerImage>) -> Result<GpuLayer, GpuError> {
        let mut layer = self.upload(&Mesh::default(), &[])?;
        layer.image = Some(image);
        Ok(layer)
    }
}

/// Input vertices tessellated and uploaded at once by [`Uploader::tessellate_upload`]: enough
/// chunks to keep the cores busy, a small part of a big file's mesh.
const STREAM_VERTICES: usize = 256 * 1024;

impl Uploader {
    /// Tessellates `inputs` (simplified to `simplify_km`) a batch of chunks at a time, each batch
    /// uploaded as pages of its own as soon as it is made: the CPU never holds the whole mesh
    /// (with the GPU's copy, a 100 MB file's mesh was twice in memory). The layer draws as one
    /// tessellated in full would (the renderer draws every page's fills before any stroke).
    /// Returns the layer and the features that could not be tessellated.
    pub fn tessellate_upload(
        &self,
        inputs: &[TessInput],
        simplify_km: f64,
        styles: &[FeatureStyle],
    ) -> Result<(GpuLayer, Vec<(u32, String)>), GpuError> {
        self.tessellate_upload_by(inputs, simplify_km, styles, STREAM_VERTICES)
    }

    /// [`Uploader::tessellate_upload`] in the chunks `grouped_as` would be made in (see
    /// `mesh::tessellate::tessellate_as`): a part of a layer, stacked as the whole layer.
    pub fn tessellate_upload_as(
        &self,
        inputs: &[TessInput],
        grouped_as: &[TessInput],
        simplify_km: f64,
        styles: &[FeatureStyle],
    ) -> Result<(GpuLayer, Vec<(u32, String)>), GpuError> {
        self.upload_groups(
            inputs,
            chunk_groups(grouped_as),
            simplify_km,
            styles,
            STREAM_VERTICES,
        )
    }

    /// [`Uploader::tessellate_upload`] in batches of about `batch_vertices` input vertices.
    pub fn tessellate_upload_by(
        &self,
        inputs: &[TessInput],
        simplify_km: f64,
        styles: &[FeatureStyle],
        batch_vertices: usize,
    ) -> Result<(GpuLayer, Vec<(u32, String)>), GpuError> {
        self.upload_groups(
            inputs,
            chunk_groups(inputs),
            simplify_km,
            styles,
            batch_vertices,
        )
    }

    fn upload_groups(
        &self,
        inputs: &[TessInput],
        groups: Vec<Group>,
        simplify_km: f64,
        styles: &[FeatureStyle],
        batch_vertices: usize,
    ) -> Result<(GpuLayer, Vec<(u32, String)>), GpuError> {
        let mut layer = self.upload(&Mesh::default(), styles)?;
        let mut skipped = Vec::new();
        let mut batch: Vec<Vec<usize>> = Vec::new();
        let mut vertices = 0;
        let last = groups.len().saturating_sub(1);
        for (i, g) in groups.into_iter().enumerate() {
            vertices += g.vertices;
            batch.push(g.inputs);
            if vertices >= batch_vertices || i == last {
                let mesh = tessellate_groups(inputs, &batch, simplify_km, Sections::ALL);
                skipped.extend_from_slice(&mesh.skipped);
                layer.pages.extend(upload_pages(&self.device, &mesh)?);
                batch.clear();
                vertices = 0;
            }
        }
        Ok((layer, skipped))
    }
}

/// A mesh in buffers: one page, or several where it is bigger than a buffer may be.
pub(super) fn upload_pages(device: &wgpu::Device, mesh: &Mesh) -> Result<Vec<Page>, GpuError> {
    // Written in place where the device allows it (a software driver, see `offscreen`):
    // otherwise wgpu stages a copy as big as the buffer until the copy is done.
    let in_place = if device
        .features()
        .contains(wgpu::Features::MAPPABLE_PRIMARY_BUFFERS)
    {
        wgpu::BufferUsages::MAP_WRITE
    } else {
        wgpu::BufferUsages::empty()
    };
    Ok(paginate(mesh, device.limits().max_buffer_size)?
        .into_iter()
        .map(
            |PageData {
                 vertices,
                 indices,
                 chunks,
             }| Page {
                vertices: device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: Some("layer vertices"),
                    contents: bytemuck::cast_slice(&vertices),
                    usage: wgpu::BufferUsages::VERTEX | in_place,
                }),
                indices: device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: Some("layer indices"),
                    contents: bytemuck::cast_slice(&indices),
                    usage: wgpu::BufferUsages::INDEX | in_place,
                }),
                chunks,
            },
        )
        .collect())
}

/// A run of a layer's chunks in buffers of their own; indices count from the page's first vertex.
#[derive(Clone)]
pub(super) struct Page {
    pub vertices: wgpu::Buffer,
    pub indices: wgpu::Buffer,
    pub chunks: Vec<Chunk>,
}
